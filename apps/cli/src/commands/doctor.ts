// `anneal doctor`: checks Node, the WebGPU adapter and the database (doctor.ts); the exit code says whether all passed.

import { Command } from 'commander';
import { doctor } from '../doctor.ts';

export const doctorCommand = new Command('doctor')
  .description(
    'check Node, the WebGPU adapter and the database; exit non-zero with a hint if something is missing',
  )
  .action(async () => {
    process.exitCode = (await doctor()) ? 0 : 1;
  });
