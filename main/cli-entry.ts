import { main } from './cli';

process.on('uncaughtException', (error) => {
  process.stderr.write(`uncaught error (the proxy keeps running): ${error.stack ?? error.message}\n`);
});

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`unhandled rejection (the proxy keeps running): ${String(reason)}\n`);
});

void main();
