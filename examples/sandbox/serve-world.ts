// `npm run sandbox`: starts the sandbox world and keeps it up until Ctrl-C, printing the commands
// that run the example callers against it with `npx cutover run` (the README's quickstart).
import { startSandboxWorld } from "./sandbox-world.js";

const world = await startSandboxWorld();
const flags = `--workspace "$WORLD" --var-file "$WORLD/.cutover/vars" --secret-file "$WORLD/.cutover/secrets"`;
console.log(`The sandbox world is up: the team's repository, blue and green, ${world.router.kind} at ${world.router.publicUrl}.

  export WORLD=${world.workspace}
  git -C "$WORLD" commit --allow-empty -m "a new release"
  npx cutover run examples/workflows/deploy-on-push.yml --event push --job staging ${flags}
  npx cutover run examples/workflows/manual-rollback.yml --event workflow_dispatch \\
    --input environment=staging --input reason="checkout button breaks payments" ${flags}

  curl -s ${world.router.publicUrl}    # which color and version serve users

Ctrl-C stops the world and removes $WORLD.`);

await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
await world.close();
