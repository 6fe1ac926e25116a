/**
 * `actions/checkout`: in the sandbox the workspace already is the caller's checkout, so the step
 * has nothing to fetch. It is the one third-party action the sandbox accepts, at any ref, because
 * every workflow must check out its repository on a real runner.
 */
const CHECKOUT = /^actions\/checkout@\S+$/;

export function isLocalCheckout(uses: string): boolean {
  return CHECKOUT.test(uses);
}
