import { LedgerSignal } from "@cutover/rollback";
import { runAction } from "@cutover/runner";
import { rollback } from "./inputs.js";
import { openLedger } from "./open-ledger.js";
import { runRecordMode } from "./record-mode.js";
import { runRollbackMode } from "./rollback-mode.js";

await runAction(rollback, async (inputs, { signal, redactor, log, github, tempDir }) => {
  // The ledger follows the run's cancel only until the rollback's first change (see LedgerSignal).
  const ledgerSignal = new LedgerSignal(signal);
  const ledger = await openLedger(inputs.ledger, inputs["github-token"], { github, signal: ledgerSignal.signal });
  const io = { log: (line: string) => log.info(line), warn: (line: string) => log.warning(line), redactor, github };
  if (inputs.mode === "record") await runRecordMode(ledger, inputs, io);
  else
    await runRollbackMode(ledger, inputs, {
      ...io,
      signal,
      ...(tempDir ? { tempDir } : {}),
      beforeFirstChange: () => ledgerSignal.commit(),
    });
});
