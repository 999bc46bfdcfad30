// WebHDFS for tests, through the @adlake/webhdfs client (which owns the workaround for the DataNode's
// unsolicited `100 Continue`): a client of the local stack that also records where it was redirected.
import { WebHdfsClient } from '@adlake/webhdfs';

export interface RecordingClient {
  readonly client: WebHdfsClient;
  /** The DataNode address of every CREATE and OPEN so far, as the NameNode's 307 gave it. */
  readonly redirects: URL[];
}

/** A client acting as `user` on the NameNode at `url` (from the stack's endpoints). Close it when done. */
export function recordingClient(url: string, user: string): RecordingClient {
  const redirects: URL[] = [];
  const client = new WebHdfsClient({
    url,
    user,
    rewriteDataNodeUrl: (location) => {
      redirects.push(new URL(location.href));
      return location;
    },
  });
  return { client, redirects };
}
