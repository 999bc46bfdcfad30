#!/usr/bin/env node
// adlake-sink's entry point: turns on Node's compile cache before anything else is loaded, then runs the
// commands (cli.ts). Most of a start's CPU went into compiling the workspace's TypeScript; a restart on the
// same machine reads the compiled code back instead (os.tmpdir()/node-compile-cache, validated by Node
// against each file's content; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
import module from 'node:module';

module.enableCompileCache();
await import('./cli.ts');
