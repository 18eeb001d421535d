#!/usr/bin/env node
// The `anneal` command: runs the TypeScript CLI through tsx (the workspace ships sources, not builds).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
