// The code under test: an upload that adds up its chunks (some still arriving: promises) with
// `for await`, and counts itself done from a count read before the loop. An array has no async
// code of its own: the loop's steps are the only awaits between the read and the write.
export class Uploads {
  completed = 0;
  bytes = 0;
}

export async function upload(uploads: Uploads, chunks: readonly (string | Promise<string>)[]): Promise<void> {
  const completed = uploads.completed;
  for await (const chunk of chunks) uploads.bytes += chunk.length;
  uploads.completed = completed + 1;
}
