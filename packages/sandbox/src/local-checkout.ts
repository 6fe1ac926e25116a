/**
 * `actions/checkout` pinned by SHA: in the sandbox the workspace already is the caller's
 * checkout, so the step has nothing to fetch. It is the one third-party action the sandbox
 * accepts, because a reusable workflow must check out its caller on a real runner.
 */
const CHECKOUT = /^actions\/checkout@[0-9a-f]{40}$/;

export function isLocalCheckout(uses: string): boolean {
  return CHECKOUT.test(uses);
}
