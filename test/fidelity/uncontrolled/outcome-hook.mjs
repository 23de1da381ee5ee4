// A module load hook that tells the main thread, on a MessagePort it was given, which URLs it loaded.
let port;
export function initialize(data) {
  port = data.port;
}
export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (url.endsWith('/loaded-target.mjs')) port.postMessage({ url });
  return loaded;
}
