// Preload (`node --import ./bench/loopback-only.mjs …`) that binds every listening socket of a
// process to 127.0.0.1 when the program names no host. Portkey's start-server listens on all
// interfaces with no option to change it; the benchmark must stay on loopback.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (second === undefined || second === null) args[1] = '127.0.0.1';
    else if (typeof second === 'function') args.splice(1, 0, '127.0.0.1');
  } else if (typeof first === 'object' && first !== null && first.path === undefined && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
