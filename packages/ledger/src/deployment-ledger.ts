import { accepts } from "./known-good.js";
import type { DeploymentRecord, LastKnownGoodOptions, LedgerPage, ListOptions, OpenDeployment, StatusUpdate } from "./record.js";

/** Where deployments are recorded: the GitHub Deployments API or a local JSON file, same behaviour. */
export interface DeploymentLedger {
  /** For messages: `GitHub Deployments of acme/shop`, `ledger file /path/ledger.json`. */
  readonly where: string;
  /** Creates a record with status `in_progress`. */
  open(request: OpenDeployment): Promise<DeploymentRecord>;
  /**
   * Adds a status. `success` makes this the environment's live deployment: a rollback record
   * first marks the deployment it rolled back `failure`, then the previous success becomes `inactive`.
   */
  update(id: number, update: StatusUpdate): Promise<DeploymentRecord>;
  /** One record; DeploymentNotFoundError when the id is unknown. */
  get(id: number): Promise<DeploymentRecord>;
  /** One page of an environment's records, newest first. */
  list(environment: string, options?: ListOptions): Promise<LedgerPage>;
  /** Every record of an environment, newest first, page by page as it is consumed. */
  history(environment: string, options?: { perPage?: number }): AsyncIterable<DeploymentRecord>;
  /** The newest known-good deployment (see isKnownGood) matching the options. */
  lastKnownGood(environment: string, options?: LastKnownGoodOptions): Promise<DeploymentRecord | undefined>;
  /** The live deployment: the newest record whose latest status is `success`. */
  current(environment: string): Promise<DeploymentRecord | undefined>;
}

/** The selection logic both stores share; they supply open/update/get/list. */
export abstract class LedgerBase implements DeploymentLedger {
  abstract readonly where: string;
  abstract open(request: OpenDeployment): Promise<DeploymentRecord>;
  abstract update(id: number, update: StatusUpdate): Promise<DeploymentRecord>;
  abstract get(id: number): Promise<DeploymentRecord>;
  abstract list(environment: string, options?: ListOptions): Promise<LedgerPage>;

  async *history(environment: string, options: { perPage?: number } = {}): AsyncIterable<DeploymentRecord> {
    let page: number | undefined = 1;
    while (page !== undefined) {
      const result: LedgerPage = await this.list(environment, { perPage: options.perPage ?? 20, page });
      yield* result.records;
      page = result.nextPage;
    }
  }

  async lastKnownGood(environment: string, options: LastKnownGoodOptions = {}): Promise<DeploymentRecord | undefined> {
    for await (const record of this.history(environment)) {
      if (accepts(record, environment, options)) return record;
    }
    return undefined;
  }

  async current(environment: string): Promise<DeploymentRecord | undefined> {
    for await (const record of this.history(environment)) {
      if (record.environment === environment && record.state === "success") return record;
    }
    return undefined;
  }
}

/** Status description limit of the GitHub API; the file store keeps the same rule. */
export const MAX_DESCRIPTION = 140;

export function clampDescription(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}
