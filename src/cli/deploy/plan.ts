/** One request `deploy` would send, as `--dry-run` prints it: the SDK command's name and its exact input. */
export interface PlannedRequest {
  command: string;
  input: object;
  /** When the request depends on what a lookup finds (create or update), or what follows it. */
  note?: string;
}
