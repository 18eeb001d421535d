// The repository checkout the CLI runs from: the shipped bases, the examples and the dashboard live there
// (the workspace ships sources, so the CLI always runs inside one).
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
