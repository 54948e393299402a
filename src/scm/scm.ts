/**
 * Where repository content comes from. The CLI reads a working tree (LocalScm), the App and
 * Action read through the GitHub API (GitHubScm). Evaluation never knows which.
 */
export interface Scm {
  /** Every file path at a ref (default: the working tree or the head), relative to the root. */
  listPaths(ref?: string): Promise<string[]>;
  /** A file's text at a ref, or undefined when absent or larger than maxBytes. */
  readFile(path: string, options?: { ref?: string; maxBytes?: number }): Promise<FileRead>;
  /**
   * Every file's size in bytes at a ref, when the listing already knows them (GitHub's tree
   * does): readers then plan their reads up front and send them together, in one request.
   */
  sizes?(ref?: string): Promise<ReadonlyMap<string, number> | undefined>;
  /** Reads several files at once; implementations batch where they can. */
  readFiles(
    paths: readonly string[],
    options?: { ref?: string; maxBytes?: number },
  ): Promise<Map<string, string>>;
}

export type FileRead =
  | { status: 'ok'; text: string }
  | { status: 'missing' }
  | { status: 'too-large'; bytes: number }
  /** On disk but not to be read: a link out of the repository, a FIFO, a device, a folder. */
  | { status: 'unreadable'; reason: string };
