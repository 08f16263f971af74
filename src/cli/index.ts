#!/usr/bin/env node
import { runCli } from './program.js';

// `cn-pay-sandbox <command>`: see `cn-pay-sandbox --help` and the README's Command line section.
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
