/**
 * Names a person reads for the kinds of real operation Node lists in
 * `process.getActiveResourcesInfo()` (which names libuv requests and handles by their C++ class).
 * Which operation shows which kind was checked with a plain Node script
 * (test/fidelity/uncontrolled/real-io-kinds.mjs).
 */
/** race-hunt's own kind for a module loading for an `import()` inside a run (Node lists no resource for it). */
export const DYNAMIC_IMPORT = 'DynamicImport';

const NAMES: Readonly<Record<string, string>> = {
  FSReqPromise: 'file system',
  FSReqCallback: 'file system',
  FileHandle: 'file system',
  FileHandleCloseReq: 'file system',
  CloseReq: 'file system',
  StatWatcher: 'file system',
  FSEventWrap: 'file system',
  GetAddrInfoReqWrap: 'DNS',
  GetNameInfoReqWrap: 'DNS',
  QueryReqWrap: 'DNS',
  TCPConnectWrap: 'TCP',
  TCPSocketWrap: 'TCP',
  TCPWrap: 'TCP',
  TCPServerWrap: 'TCP',
  PipeConnectWrap: 'pipe',
  PipeWrap: 'pipe',
  ConnectWrap: 'pipe',
  ProcessWrap: 'child process',
  UDPWrap: 'UDP',
  UDPSendWrap: 'UDP',
  SendWrap: 'UDP',
  TLSWrap: 'TLS',
  ShutdownWrap: 'stream',
  SimpleShutdownWrap: 'stream',
  WriteWrap: 'stream',
  SimpleWriteWrap: 'stream',
  Zlib: 'zlib',
  Worker: 'worker thread',
  [DYNAMIC_IMPORT]: 'module loading (import())',
};

/** What a person calls this kind of real operation ("file system", "DNS", "TCP", …); unknown kinds keep Node's name. */
export function realIoName(kind: string): string {
  return Object.hasOwn(NAMES, kind) ? NAMES[kind]! : kind;
}
