#!/usr/bin/env node
// Entry point of the `hotline` command. Sources are TypeScript; tsx's loader
// compiles them on the fly so that `npm start` needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src/app/cli.ts');
