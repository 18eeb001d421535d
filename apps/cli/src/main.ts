// The `anneal` command line: builds the commander program from one file per command (commands/<verb>.ts) and
// turns an expected failure into one line. apps/cli is the composition root: the only code that wires the API,
// the queue worker, the trainer and the tracking client together; the libraries below it know none of that.

import { Command } from 'commander';
import { agentCommand } from './commands/agent.ts';
import { apiCommand } from './commands/api.ts';
import { convertCommand } from './commands/convert.ts';
import { dbCommand } from './commands/db.ts';
import { demoCommand } from './commands/demo.ts';
import { doctorCommand } from './commands/doctor.ts';
import { evalCommand } from './commands/eval.ts';
import { generateCommand } from './commands/generate.ts';
import { initCommand } from './commands/init.ts';
import { passwdCommand } from './commands/passwd.ts';
import { predictCommand } from './commands/predict.ts';
import { pretrainCommand } from './commands/pretrain.ts';
import { startCommand } from './commands/start.ts';
import { syncCommand } from './commands/sync.ts';
import { trainCommand } from './commands/train.ts';
import { workerCommand } from './commands/worker.ts';

const program = new Command('anneal').description(
  'Fine-tune language models on WebGPU and track the experiments',
);
// In the order `anneal --help` lists them.
for (const command of [
  doctorCommand,
  dbCommand,
  trainCommand,
  evalCommand,
  predictCommand,
  generateCommand,
  pretrainCommand,
  initCommand,
  convertCommand,
  apiCommand,
  startCommand,
  workerCommand,
  passwdCommand,
  syncCommand,
  agentCommand,
  demoCommand,
])
  program.addCommand(command);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Expected failures (bad config, missing files, unknown user) are one line naming what was wrong; set
  // ANNEAL_DEBUG=1 for the stack.
  console.error(process.env.ANNEAL_DEBUG ? e : `anneal: ${(e as Error).message}`);
  process.exitCode = 1;
}
