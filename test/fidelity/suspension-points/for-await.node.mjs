// Plain Node (tsx only strips the types of the code under test): both uploads read the count
// before either loop's first step settles. Prints the count and the bytes.
import { upload, Uploads } from './for-await.lib.ts';

const uploads = new Uploads();
await Promise.all([upload(uploads, ['ab', Promise.resolve('cd')]), upload(uploads, ['e'])]);
console.log(JSON.stringify({ completed: uploads.completed, bytes: uploads.bytes }));
