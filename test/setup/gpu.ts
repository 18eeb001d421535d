// Every test file that opened the shared GPU runtime closes it once its tests are done.
import { afterAll } from 'vitest';
import { closeTestRuntime } from '../../packages/kernels/src/testing.ts';

afterAll(closeTestRuntime);
