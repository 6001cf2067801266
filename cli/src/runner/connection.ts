/** A kernel connection file: transport, ports and the signing key. */
import { randomBytes } from 'crypto';
import * as net from 'net';

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: 'hmac-sha256';
  kernel_name: string;
}

/** A port the OS reports free right now (the kernel binds it moments later). */
function freePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, ip, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function newConnectionInfo(kernelName: string, ip = '127.0.0.1'): Promise<ConnectionInfo> {
  const ports: number[] = [];
  while (ports.length < 5) {
    const p = await freePort(ip);
    if (!ports.includes(p)) ports.push(p);
  }
  return {
    transport: 'tcp',
    ip,
    shell_port: ports[0],
    iopub_port: ports[1],
    stdin_port: ports[2],
    control_port: ports[3],
    hb_port: ports[4],
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
  };
}

/**
 * A connection over ZeroMQ `ipc` sockets (Unix sockets) named `<path>:<n>`: no network at
 * all, for a kernel in a sandbox without one. tslab builds every address as
 * `<transport>://<ip>:<port>`, so `ip` is the socket path prefix and the ports are 1..5.
 */
export function newIpcConnectionInfo(kernelName: string, socketPrefix: string): ConnectionInfo {
  return {
    transport: 'ipc',
    ip: socketPrefix,
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
  };
}

/** The address of one of the kernel's sockets, as tslab builds it (for ipc too: `ipc://<path>:<n>`). */
export function endpoint(info: ConnectionInfo, port: number): string {
  return `${info.transport}://${info.ip}:${port}`;
}
