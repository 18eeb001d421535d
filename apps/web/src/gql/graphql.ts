/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date and time. */
  DateTime: { input: string; output: string; }
  /** A float; NaN and ±Infinity travel as the strings "NaN", "Infinity" and "-Infinity". */
  Double: { input: number | string; output: number | string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** An API key of the signed-in user: its name and first characters, never the key itself. */
export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** When a request last used the key (to the minute). */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The key that minted this one (revoking it revokes this one); null: minted from a session. */
  mintedBy?: Maybe<Scalars['ID']['output']>;
  name: Scalars['String']['output'];
  prefix: Scalars['String']['output'];
  /** The one project the key works in; null: every project of the user. */
  project?: Maybe<Project>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** null: the user's roles in every project, but the key cannot mint or revoke other keys. */
  scope?: Maybe<ApiKeyScope>;
};

/** The most an API key may do; its effective role in a project is the lower of this and the user's. */
export type ApiKeyScope =
  /** also manage the project (as an admin) and mint API keys */
  | 'admin'
  /** also write runs, metrics, artifacts and logs (as a member) */
  | 'log'
  /** read the project (as a viewer) */
  | 'read';

/** One version of a named artifact of a project (v0, v1, …): a manifest of stored files. A new content digest under a name makes the next version; `latest` is always the highest. */
export type Artifact = {
  __typename?: 'Artifact';
  /** Aliases pointing at this version: 'latest' for the highest, and those set by logArtifact. */
  aliases: Array<Scalars['String']['output']>;
  /** Runs that used it (useArtifact), oldest first; only those the viewer can see. */
  consumers: Array<Run>;
  createdAt: Scalars['DateTime']['output'];
  /** sha256 of the manifest (lines `<sha256> <size> <path>` sorted by path, joined by \n). */
  digest: Scalars['String']['output'];
  /** The URL path (on the API, or the dashboard, which proxies it) that downloads one of its files; null when it has no such file. */
  downloadUrl?: Maybe<Scalars['String']['output']>;
  files: Array<ArtifactFile>;
  id: Scalars['ID']['output'];
  kind: ArtifactKind;
  metadata: Scalars['JSON']['output'];
  name: Scalars['String']['output'];
  /** The run that produced it. */
  run: Run;
  /** Total bytes of its files. */
  size: Scalars['Float']['output'];
  /** The latest try-it requests that ran this model, newest first. */
  tryRequests: Array<TryRequest>;
  /** An external reference recorded with it (s3://…, a path on a worker): shown, never served. */
  uri?: Maybe<Scalars['String']['output']>;
  /** 0, 1, 2, … (shown as v0, v1, …) */
  version: Scalars['Int']['output'];
};


/** One version of a named artifact of a project (v0, v1, …): a manifest of stored files. A new content digest under a name makes the next version; `latest` is always the highest. */
export type ArtifactDownloadUrlArgs = {
  path: Scalars['String']['input'];
};


/** One version of a named artifact of a project (v0, v1, …): a manifest of stored files. A new content digest under a name makes the next version; `latest` is always the highest. */
export type ArtifactTryRequestsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One file of an artifact: its path inside the artifact and the stored blob it maps to. */
export type ArtifactFile = {
  __typename?: 'ArtifactFile';
  path: Scalars['String']['output'];
  sha256: Scalars['String']['output'];
  size: Scalars['Float']['output'];
};

/** A file of an artifact being recorded: a relative '/'-separated path, and the sha256 and size of a blob already uploaded to the run's project (POST /uploads). */
export type ArtifactFileInput = {
  path: Scalars['String']['input'];
  sha256: Scalars['String']['input'];
  size: Scalars['Float']['input'];
};

export type ArtifactKind =
  | 'checkpoint'
  | 'dataset'
  | 'file'
  | 'model';

/** AUTO: decades when every value is positive and the largest is 100× the smallest or more. */
export type BinScale =
  | 'AUTO'
  | 'LINEAR'
  | 'LOG';

/** One problem in a config: its dotted path (an unknown key is named by its own path), the reason, and whether it blocks submitting (error) or only looks wrong from here (warning). */
export type ConfigIssue = {
  __typename?: 'ConfigIssue';
  message: Scalars['String']['output'];
  path: Scalars['String']['output'];
  severity: Scalars['String']['output'];
};

export type ConfigKind =
  | 'RUN'
  | 'SWEEP';

export type Direction =
  | 'ASC'
  | 'DESC';

export type FilterOp =
  | 'CONTAINS'
  | 'EQ'
  | 'EXISTS'
  | 'GT'
  | 'GTE'
  | 'ILIKE'
  | 'IN'
  | 'LIKE'
  | 'LT'
  | 'LTE'
  | 'NE'
  | 'NOT_IN';

/** Where a fork branches off: a run of the same project, and the step the fork's own history starts at. */
export type ForkFromInput = {
  runId: Scalars['ID']['input'];
  /** the source's points before this step are copied to the fork */
  step: Scalars['Int']['input'];
};

/** A binned group's range: lower ≤ value < upper. */
export type GroupBin = {
  __typename?: 'GroupBin';
  lower: Scalars['Float']['output'];
  scale: Scalars['String']['output'];
  upper: Scalars['Float']['output'];
};

export type GroupStatusCount = {
  __typename?: 'GroupStatusCount';
  count: Scalars['Int']['output'];
  status: Scalars['String']['output'];
};

/** SPEARMAN: Spearman's rank correlation ρ of a numeric parameter with the metric (−1…1; > 0 when larger values go with a larger metric). CORRELATION_RATIO: η of the metric's ranks across a categorical parameter's values (0…1, no direction). CONSTANT: not searched, nothing measured. */
export type ImportanceMeasure =
  | 'CONSTANT'
  | 'CORRELATION_RATIO'
  | 'SPEARMAN';

/** A metric or config key seen in a project: its JSON type and, for numbers, the range. */
export type KeyInfo = {
  __typename?: 'KeyInfo';
  /** runs (config keys) or points (metric keys) */
  count: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  max?: Maybe<Scalars['Double']['output']>;
  min?: Maybe<Scalars['Double']['output']>;
  type: Scalars['String']['output'];
};

export type LogLine = {
  __typename?: 'LogLine';
  line: Scalars['String']['output'];
  seq: Scalars['Int']['output'];
  stream: Scalars['String']['output'];
  time: Scalars['DateTime']['output'];
};

export type LogLineInput = {
  line: Scalars['String']['input'];
  /** client sequence number: a replayed line is stored once */
  seq: Scalars['Int']['input'];
  stream?: InputMaybe<Scalars['String']['input']>;
  time?: InputMaybe<Scalars['DateTime']['input']>;
};

/** A user's role in a project: viewer (reads), member (also writes runs), admin (also manages members). */
export type Member = {
  __typename?: 'Member';
  role: Scalars['String']['output'];
  user: User;
};

/** A summary metric over a group's runs that report it as a number. */
export type MetricAggregate = {
  __typename?: 'MetricAggregate';
  /** Runs with a numeric value. */
  count: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  max?: Maybe<Scalars['Float']['output']>;
  mean?: Maybe<Scalars['Float']['output']>;
  min?: Maybe<Scalars['Float']['output']>;
};

/** Points of one bucket: the first and last x, min / max / mean, the last value and the count. */
export type MetricBucket = {
  __typename?: 'MetricBucket';
  count: Scalars['Int']['output'];
  last: Scalars['Double']['output'];
  max: Scalars['Double']['output'];
  mean: Scalars['Double']['output'];
  min: Scalars['Double']['output'];
  x: Scalars['Double']['output'];
  xEnd: Scalars['Double']['output'];
};

/** A series' buckets as columns: the i-th entry of each list is the i-th bucket. The same numbers as buckets in a fraction of the response and the server's work when a page asks for hundreds of series. */
export type MetricColumns = {
  __typename?: 'MetricColumns';
  count: Array<Scalars['Int']['output']>;
  last: Array<Scalars['Double']['output']>;
  max: Array<Scalars['Double']['output']>;
  mean: Array<Scalars['Double']['output']>;
  min: Array<Scalars['Double']['output']>;
  x: Array<Scalars['Double']['output']>;
  xEnd: Array<Scalars['Double']['output']>;
};

export type MetricPoint = {
  __typename?: 'MetricPoint';
  key: Scalars['String']['output'];
  step: Scalars['Float']['output'];
  time: Scalars['DateTime']['output'];
  value: Scalars['Double']['output'];
};

export type MetricSeries = {
  __typename?: 'MetricSeries';
  buckets: Array<MetricBucket>;
  /** the buckets as columns */
  columns: MetricColumns;
  /** points in range before downsampling */
  count: Scalars['Int']['output'];
  key: Scalars['String']['output'];
};


export type MetricSeriesColumnsArgs = {
  digits?: InputMaybe<Scalars['Int']['input']>;
};

export type MetricsAppended = {
  __typename?: 'MetricsAppended';
  count: Scalars['Int']['output'];
  keys: Array<Scalars['String']['output']>;
  maxStep: Scalars['Float']['output'];
  runId: Scalars['ID']['output'];
};

/** What logMetrics did with a batch: how many points were new, and each point it refused. */
export type MetricsLogged = {
  __typename?: 'MetricsLogged';
  rejected: Array<PointRejection>;
  /** new points (a replayed point is accepted, not new) */
  stored: Scalars['Int']['output'];
};

/** A model that can be fine-tuned: a shipped base, or a model or checkpoint a run recorded. */
export type ModelChoice = {
  __typename?: 'ModelChoice';
  description: Scalars['String']['output'];
  kind: Scalars['String']['output'];
  /** The value for model.base: 'bases/<name>' for a shipped base, or 'artifact:<artifact id>' for a stored model (the worker downloads it from the artifact store). */
  location: Scalars['String']['output'];
  name: Scalars['String']['output'];
  run?: Maybe<Run>;
  /** "base" (shipped) or "artifact" (recorded by a run). */
  source: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Appends console lines to an attempt (default: the run's latest); returns how many were new ((run, attempt, seq) is unique). */
  appendLogs: Scalars['Int']['output'];
  /** Ends the sweep: no more proposals, queued runs stopped, running runs asked to stop. */
  cancelSweep: Sweep;
  /** An agent claims the next proposal of a sweep with a program or command; no two claims get the same one. */
  claimSweepRun: SweepClaim;
  /** A new API key for the signed-in user, shown only in this response. Needs a browser session or an admin-scoped key; a key minted by a key dies with it, and stays within the minting key's project. `scope` caps what it may do (default: the user's roles, without minting keys); `project` (name or id) limits it to one project (default: the minting key's project, else all). */
  createApiKey: Scalars['String']['output'];
  /** A new project; the signed-in user who creates it is its admin. */
  createProject: Project;
  /** A new run in a project — or, given the id of an existing run of that project, that run resumed (status running). A new id (run_<uuid>) chosen by the client makes retries idempotent. With forkFrom, the new run is a fork (W&B's fork_from): it starts with a copy of the source run's points before forkFrom.step, and the source is left as it was. */
  createRun: Run;
  /** A hyperparameter sweep in the W&B sweep format (a JSON object, or YAML/JSON text). Without `program` or `command` it drives Anneal's trainer over `baseConfig` (required), its runs proposed and queued right away (max_parallel at a time); with one, its proposals wait for `anneal agent` processes (claimSweepRun), parameters may have any name and `baseConfig` (optional) is merged under each run's config. */
  createSweep: Sweep;
  /** An account, added by an admin of a project, who joins that project with `role`. */
  createUser: User;
  /** Saves a new named view of a project (members and admins). The spec is validated; a wrong field is named. */
  createView: SavedView;
  /** Deletes runs with everything they logged; returns how many were deleted. */
  deleteRuns: Scalars['Int']['output'];
  /** Deletes a view (only its creator or a project admin); users who had it as default have none. */
  deleteView: Scalars['ID']['output'];
  finishRun: Run;
  /** The run is alive (clients beat every 15 s while a run is open). A run crashed for a lapsed heartbeat that was not launched on a worker goes back to running. Select stopRequested to learn of a stop. */
  heartbeat: Run;
  /** Queues a training run: the config is validated with the trainer's schema (errors name the key) and a worker picks it up. */
  launchRun: Run;
  /** Embedded single-user mode, from this machine only: signs the browser in as the local admin (admin@localhost) without a password. */
  localSignIn: User;
  /** Records an artifact the run produced: files already uploaded to the project (POST /uploads), by path. Replaying the same call returns the same version; new content under the name makes the next version. `aliases` (e.g. 'best') move to this version; 'latest' is always the highest. */
  logArtifact: Artifact;
  /** Appends up to 10000 points, each checked on its own: the valid ones are stored, the others come back in rejected with their index and reason. stored counts the new points: one point per (key, step), so replaying a batch is harmless. NaN and ±Infinity are stored. */
  logMetrics: MetricsLogged;
  /** Logs a table at a step (a classifier's predictions, generated samples; text is one column): columns are names, rows lists of cells (a string, a number, a boolean or null each), at most 10000 rows and 64 columns. One table per key and step: logging the same one again is harmless, another one there is a CONFLICT. */
  logTable: TableLogged;
  /** Signs in with a password: sets an HTTP-only session cookie (30 days). Repeated failures for an account or from an address lock them out for a doubling time: RATE_LIMITED with extensions.retryAfterSeconds, even for the right password. */
  login: User;
  /** Ends the session of this browser. */
  logout: Scalars['Boolean']['output'];
  /** Stops proposing runs (running ones continue). */
  pauseSweep: Sweep;
  /** Removes a user from a project (admins only); the project's last admin cannot be removed. */
  removeMember: Scalars['Boolean']['output'];
  /** Gives a run another name (1 to 200 characters); its id stays. */
  renameRun: Run;
  resumeSweep: Sweep;
  /** Revokes one of the signed-in user's API keys and every key minted from it: requests with them are refused from then on (through another API process on the same database, within its key cache's 10 s). A key may revoke itself; another key needs a session or an admin-scoped key (one limited to a project: that project's keys). */
  revokeApiKey: ApiKey;
  /** Removes a run's points at `step` and after (every key), so that a run resumed from an older checkpoint, or retried from the start (step 0), records its new history instead of having it dropped as replays. Returns how many points went. */
  rewindRun: Scalars['Int']['output'];
  /** Makes a view the viewer's default of its project; `id: null` with `project` clears it. */
  setDefaultView?: Maybe<SavedView>;
  /** Adds an existing user to a project, or changes their role (admins only). The project's last admin stays an admin. */
  setMember: Member;
  setNotes: Run;
  setTags: Run;
  /** Asks the worker running this run to stop: it saves a checkpoint and ends the run as stopped (within a few seconds). A queued run is stopped at once. */
  stopRun: Run;
  /** Runs a model of a project on new input on a worker with a GPU adapter: a run's exported model (run) or a model / checkpoint artifact (artifact, by id). A causal LM continues the prompt (options: sampling), a classifier gives class probabilities. Needs the member role. Returns the stored request at once (status queued); follow it with the tryProgress subscription. At most 20 requests a minute and 4 waiting or running per user. */
  tryModel: TryRequest;
  /** Merges keys into the run summary (or replaces it with merge: false). */
  updateSummary: Run;
  /** Renames a view and/or replaces its spec: only its creator or a project admin. */
  updateView: SavedView;
  /** Records that a run used an artifact (lineage) and returns it: `artifact` is an id, 'artifact:<id>', or in the run's project 'name', 'name:v3' or 'name:<alias>'. */
  useArtifact: Artifact;
};


export type MutationAppendLogsArgs = {
  attempt?: InputMaybe<Scalars['Int']['input']>;
  lines: Array<LogLineInput>;
  runId: Scalars['ID']['input'];
};


export type MutationCancelSweepArgs = {
  id: Scalars['ID']['input'];
};


export type MutationClaimSweepRunArgs = {
  host?: InputMaybe<Scalars['String']['input']>;
  sweepId: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  scope?: InputMaybe<ApiKeyScope>;
};


export type MutationCreateProjectArgs = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};


export type MutationCreateRunArgs = {
  attempt?: InputMaybe<Scalars['Int']['input']>;
  config?: InputMaybe<Scalars['JSON']['input']>;
  forkFrom?: InputMaybe<ForkFromInput>;
  gpu?: InputMaybe<Scalars['JSON']['input']>;
  group?: InputMaybe<Scalars['String']['input']>;
  host?: InputMaybe<Scalars['String']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  notes?: InputMaybe<Scalars['String']['input']>;
  project: Scalars['String']['input'];
  status?: InputMaybe<RunStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationCreateSweepArgs = {
  baseConfig?: InputMaybe<Scalars['JSON']['input']>;
  config: Scalars['JSON']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  project: Scalars['String']['input'];
};


export type MutationCreateUserArgs = {
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  password: Scalars['String']['input'];
  project: Scalars['String']['input'];
  role?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateViewArgs = {
  name: Scalars['String']['input'];
  project: Scalars['String']['input'];
  spec: Scalars['JSON']['input'];
};


export type MutationDeleteRunsArgs = {
  runIds: Array<Scalars['ID']['input']>;
};


export type MutationDeleteViewArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFinishRunArgs = {
  attempt?: InputMaybe<Scalars['Int']['input']>;
  runId: Scalars['ID']['input'];
  status?: InputMaybe<RunStatus>;
  summary?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationHeartbeatArgs = {
  runId: Scalars['ID']['input'];
};


export type MutationLaunchRunArgs = {
  config: Scalars['JSON']['input'];
  group?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  project: Scalars['String']['input'];
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};


export type MutationLogArtifactArgs = {
  aliases?: InputMaybe<Array<Scalars['String']['input']>>;
  files: Array<ArtifactFileInput>;
  kind: ArtifactKind;
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  name: Scalars['String']['input'];
  runId: Scalars['ID']['input'];
  uri?: InputMaybe<Scalars['String']['input']>;
};


export type MutationLogMetricsArgs = {
  points: Array<PointInput>;
  runId: Scalars['ID']['input'];
};


export type MutationLogTableArgs = {
  columns: Array<Scalars['String']['input']>;
  key: Scalars['String']['input'];
  rows: Scalars['JSON']['input'];
  runId: Scalars['ID']['input'];
  step: Scalars['Float']['input'];
};


export type MutationLoginArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationPauseSweepArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveMemberArgs = {
  email: Scalars['String']['input'];
  project: Scalars['String']['input'];
};


export type MutationRenameRunArgs = {
  name: Scalars['String']['input'];
  runId: Scalars['ID']['input'];
};


export type MutationResumeSweepArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRewindRunArgs = {
  runId: Scalars['ID']['input'];
  step: Scalars['Int']['input'];
};


export type MutationSetDefaultViewArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  project: Scalars['String']['input'];
};


export type MutationSetMemberArgs = {
  email: Scalars['String']['input'];
  project: Scalars['String']['input'];
  role: Scalars['String']['input'];
};


export type MutationSetNotesArgs = {
  notes: Scalars['String']['input'];
  runId: Scalars['ID']['input'];
};


export type MutationSetTagsArgs = {
  runId: Scalars['ID']['input'];
  tags: Array<Scalars['String']['input']>;
};


export type MutationStopRunArgs = {
  runId: Scalars['ID']['input'];
};


export type MutationTryModelArgs = {
  artifact?: InputMaybe<Scalars['String']['input']>;
  input: Scalars['String']['input'];
  options?: InputMaybe<TryModelOptions>;
  run?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationUpdateSummaryArgs = {
  merge?: InputMaybe<Scalars['Boolean']['input']>;
  runId: Scalars['ID']['input'];
  summary: Scalars['JSON']['input'];
};


export type MutationUpdateViewArgs = {
  id: Scalars['ID']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  spec?: InputMaybe<Scalars['JSON']['input']>;
};


export type MutationUseArtifactArgs = {
  artifact: Scalars['String']['input'];
  runId: Scalars['ID']['input'];
};

export type Node = {
  id: Scalars['ID']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** How much a swept parameter seems to matter to the sweep's metric over its finished runs: one per parameter of the space. */
export type ParameterImportance = {
  __typename?: 'ParameterImportance';
  measure: ImportanceMeasure;
  parameter: Scalars['String']['output'];
  /** Finished runs the value is over. */
  runs: Scalars['Int']['output'];
  /** @deprecated use value and measure */
  spearman?: Maybe<Scalars['Double']['output']>;
  /** ρ or η; null for a constant, or with fewer than 3 finished runs. */
  value?: Maybe<Scalars['Double']['output']>;
};

export type PointInput = {
  key: Scalars['String']['input'];
  /** a non-negative integer */
  step: Scalars['Float']['input'];
  time?: InputMaybe<Scalars['DateTime']['input']>;
  value: Scalars['Double']['input'];
};

/** A metric point logMetrics refused; the other points of the call were stored. */
export type PointRejection = {
  __typename?: 'PointRejection';
  /** key, step or time */
  field: Scalars['String']['output'];
  /** its position in the points argument */
  index: Scalars['Int']['output'];
  key: Scalars['String']['output'];
  /** the field and what was wrong with it */
  reason: Scalars['String']['output'];
};

export type Project = Node & {
  __typename?: 'Project';
  activity: ProjectActivity;
  /** One version of a named artifact: by `alias` ('latest' when neither is given) or `version`. */
  artifact?: Maybe<Artifact>;
  /** The project's artifacts, newest first: every version of `name`, or of all names. */
  artifacts: Array<Artifact>;
  /** Every leaf path in the runs' configs (dotted), with its JSON type and numeric range. */
  configKeys: Array<KeyInfo>;
  createdAt: Scalars['DateTime']['output'];
  /** The viewer's default view of the project (opened when the page names none). */
  defaultView?: Maybe<SavedView>;
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The project's members and their roles, by e-mail. */
  members: Array<Member>;
  /** Every metric key logged in the project, with its value range and point count. */
  metricKeys: Array<KeyInfo>;
  /** What model.base can be: the shipped bases, then the project's model and checkpoint artifacts that hold a tokenizer (newest first, at most 100). */
  models: Array<ModelChoice>;
  name: Scalars['String']['output'];
  role: Scalars['String']['output'];
  /** The project's saved views, by name. */
  views: Array<SavedView>;
  /** The metric keys the project's runs logged, sorted (from the coarsest rollups: cheap however many points; the workspace's default panels). */
  workspaceMetricKeys: Array<Scalars['String']['output']>;
};


export type ProjectArtifactArgs = {
  alias?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type ProjectArtifactsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

/** A project at a glance: how many runs it holds, how many are training, when the last began. */
export type ProjectActivity = {
  __typename?: 'ProjectActivity';
  lastRunAt?: Maybe<Scalars['DateTime']['output']>;
  running: Scalars['Int']['output'];
  runs: Scalars['Int']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One artifact version by id ('<uuid>' or 'artifact:<uuid>'), for a viewer of its project; by name: Project.artifact. */
  artifact: Artifact;
  /** Several runs at once (any projects the viewer can read); select metrics(keys) on each for the comparison view. */
  compare: Array<Run>;
  /** The dashboard's base URL, if this API knows it: a run's page is <dashboardUrl>/r/<run id> (what a client prints when a run starts). */
  dashboardUrl?: Maybe<Scalars['String']['output']>;
  /** Always "ok"; the only field anonymous requests may read. */
  health: Scalars['String']['output'];
  /** Whether localSignIn would succeed for this request (embedded mode, from this machine). */
  localSignInAvailable: Scalars['Boolean']['output'];
  /** The signed-in user (API key or session), or null. */
  me?: Maybe<User>;
  node?: Maybe<Node>;
  nodes: Array<Maybe<Node>>;
  project: Project;
  projects: Array<Project>;
  run: Run;
  /** Runs grouped by a field (config.<path>, summary.<path>, status, group, host, name), largest value first, at most 1000 groups; metrics: summary keys to aggregate (at most 20). */
  runGroups: Array<RunGroup>;
  /** A project's runs, filtered and sorted, paged forward with first (at most 500) and after: keyset cursors, so a page never repeats or skips a run while runs are created or change. */
  runs: QueryRunsConnection;
  sweep: Sweep;
  /** A try-it request by id, for a viewer of its project. */
  tryRequest: TryRequest;
  /** Every issue of a run config (the trainer's schema) or a sweep config (W&B format; JSON or YAML text), by path; empty when it is valid. Nothing is stored. */
  validateConfig: Array<ConfigIssue>;
  /** A saved view by id (any member of its project). */
  view: SavedView;
};


export type QueryArtifactArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCompareArgs = {
  runIds: Array<Scalars['ID']['input']>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryProjectArgs = {
  ref: Scalars['String']['input'];
};


export type QueryRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRunGroupsArgs = {
  binScale?: InputMaybe<BinScale>;
  bins?: InputMaybe<Scalars['Int']['input']>;
  by: Scalars['String']['input'];
  filter?: InputMaybe<RunFilter>;
  metrics?: InputMaybe<Array<Scalars['String']['input']>>;
  project: Scalars['String']['input'];
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QueryRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RunFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<Array<RunOrder>>;
  project: Scalars['String']['input'];
  search?: InputMaybe<Scalars['String']['input']>;
};


export type QuerySweepArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTryRequestArgs = {
  id: Scalars['ID']['input'];
};


export type QueryValidateConfigArgs = {
  baseConfig?: InputMaybe<Scalars['JSON']['input']>;
  config: Scalars['JSON']['input'];
  kind: ConfigKind;
};


export type QueryViewArgs = {
  id: Scalars['ID']['input'];
};

export type QueryRunsConnection = {
  __typename?: 'QueryRunsConnection';
  edges: Array<QueryRunsConnectionEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type QueryRunsConnectionEdge = {
  __typename?: 'QueryRunsConnectionEdge';
  cursor: Scalars['String']['output'];
  node: Run;
};

/** A point a rewind removed: the value an earlier attempt logged at this step. */
export type RewoundPoint = {
  __typename?: 'RewoundPoint';
  key: Scalars['String']['output'];
  step: Scalars['Float']['output'];
  time: Scalars['DateTime']['output'];
  value: Scalars['Double']['output'];
};

/** One training run: its config, status, summary and everything it logged. */
export type Run = Node & {
  __typename?: 'Run';
  /** The artifacts this run produced (its outputs), oldest first. */
  artifacts: Array<Artifact>;
  /** The latest attempt's number (1 until a retry or a resume); Run.logs reads its console by default. */
  attempt: Scalars['Int']['output'];
  /** Every start of the run, oldest first (none for a run that never started). */
  attempts: Array<RunAttempt>;
  config: Scalars['JSON']['output'];
  createdAt: Scalars['DateTime']['output'];
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** A fork: the step its own history starts at; its points before it are its source's. */
  forkStep?: Maybe<Scalars['Int']['output']>;
  /** A fork: the run it branched from (null once that run is deleted). */
  forkedFrom?: Maybe<Run>;
  /** The runs forked from this one, oldest first. */
  forks: Array<Run>;
  gpu?: Maybe<Scalars['JSON']['output']>;
  group?: Maybe<Scalars['String']['output']>;
  heartbeatAt?: Maybe<Scalars['DateTime']['output']>;
  /** Full-resolution points after `afterStep`, at most `first` per key (page by the last step seen). */
  history: Array<MetricPoint>;
  host?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The artifacts this run used (useArtifact): lineage, e.g. the model it was fine-tuned from. */
  inputs: Array<Artifact>;
  /** How many console lines an attempt of the run has. */
  logCount: Scalars['Int']['output'];
  /** Console lines of one attempt in order: the first `first` after `afterSeq` (default 1000), or the last `last` (the end of a long run: its final metrics). At most 10000. */
  logs: Array<LogLine>;
  /** The metric keys this run logged. */
  metricKeys: Array<Scalars['String']['output']>;
  /** Series downsampled on the server to at most `samples` buckets (min and max per bucket, so spikes survive), with the exact point count. */
  metrics: Array<MetricSeries>;
  name: Scalars['String']['output'];
  notes: Scalars['String']['output'];
  project: Project;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
  /** The API's reason in words, for a run a sweep pruned: the rung, the run's value there and the cutoff it missed. */
  stopDetail?: Maybe<Scalars['String']['output']>;
  /** Why a stop was requested: 'user' (stopRun, cancelSweep) or 'pruned' (a sweep's early termination). */
  stopReason?: Maybe<Scalars['String']['output']>;
  stopRequested: Scalars['Boolean']['output'];
  summary: Scalars['JSON']['output'];
  /** The sweep that proposed this run, if one did. */
  sweep?: Maybe<Sweep>;
  /** A sweep's run: the parameters the sweep chose for it. */
  sweepParams?: Maybe<Scalars['JSON']['output']>;
  /** A logged table's rows (null when the run logged none at that key and step): filtered (all conditions hold), sorted (default: as logged) and paged with first (default 100, at most 1000) and after. */
  table?: Maybe<RunTable>;
  /** The keys this run logged tables under (sorted), each with its steps. */
  tables: Array<RunTableKey>;
  tags: Array<Scalars['String']['output']>;
  /** The latest try-it requests made with this run's model, newest first. */
  tryRequests: Array<TryRequest>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunHistoryArgs = {
  afterStep?: InputMaybe<Scalars['Float']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  keys: Array<Scalars['String']['input']>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunLogCountArgs = {
  attempt?: InputMaybe<Scalars['Int']['input']>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunLogsArgs = {
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  attempt?: InputMaybe<Scalars['Int']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunMetricsArgs = {
  from?: InputMaybe<Scalars['Float']['input']>;
  keys?: InputMaybe<Array<Scalars['String']['input']>>;
  samples?: InputMaybe<Scalars['Int']['input']>;
  to?: InputMaybe<Scalars['Float']['input']>;
  xAxis?: InputMaybe<XAxis>;
  xKey?: InputMaybe<Scalars['String']['input']>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunTableArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Array<TableFilter>>;
  first?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
  last?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<Array<TableOrder>>;
  step?: InputMaybe<Scalars['Float']['input']>;
};


/** One training run: its config, status, summary and everything it logged. */
export type RunTryRequestsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** One start of a run: the first, a queue retry after a crash, or a resume. The run's status is its latest attempt's. */
export type RunAttempt = {
  __typename?: 'RunAttempt';
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  host?: Maybe<Scalars['String']['output']>;
  /** 1, 2, …; Run.logs(attempt) reads its console */
  number: Scalars['Int']['output'];
  /** Why it ended, where not plainly: 'no heartbeat for 60 s', 'attempt 3 started', a stop's reason or a pruning's detail. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The points this attempt's rewind removed (a retry restarts from its checkpoint's step): what earlier attempts had logged from there, by key and step, at most `first` after `afterStep`. */
  rewound: Array<RewoundPoint>;
  startedAt: Scalars['DateTime']['output'];
  status: RunStatus;
};


/** One start of a run: the first, a queue retry after a crash, or a resume. The run's status is its latest attempt's. */
export type RunAttemptRewoundArgs = {
  afterStep?: InputMaybe<Scalars['Float']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  keys: Array<Scalars['String']['input']>;
};

/** A filter tree: exactly one of and / or / not, or a predicate (field, op, value). Fields: run attributes, config.<path>, summary.<path>, tags. */
export type RunFilter = {
  and?: InputMaybe<Array<RunFilter>>;
  field?: InputMaybe<Scalars['String']['input']>;
  not?: InputMaybe<RunFilter>;
  op?: InputMaybe<FilterOp>;
  or?: InputMaybe<Array<RunFilter>>;
  value?: InputMaybe<Scalars['JSON']['input']>;
};

export type RunGroup = {
  __typename?: 'RunGroup';
  aggregates: Array<MetricAggregate>;
  /** With bins: the range of this group (value is then null); null for a group of one value. */
  bin?: Maybe<GroupBin>;
  count: Scalars['Int']['output'];
  statuses: Array<GroupStatusCount>;
  /** The field’s value shared by the group (null: runs without it). */
  value?: Maybe<Scalars['JSON']['output']>;
};

export type RunOrder = {
  direction?: InputMaybe<Direction>;
  field: Scalars['String']['input'];
};

export type RunStatus =
  | 'crashed'
  | 'failed'
  | 'finished'
  | 'pruned'
  | 'queued'
  | 'running'
  | 'stopped';

/** A page of a logged table, with the table itself: its key, step and columns. */
export type RunTable = {
  __typename?: 'RunTable';
  columns: Array<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  edges: Array<RunTableEdge>;
  key: Scalars['String']['output'];
  pageInfo: PageInfo;
  /** rows in the table */
  rowCount: Scalars['Int']['output'];
  step: Scalars['Float']['output'];
  /** rows that pass the filter */
  totalCount: Scalars['Int']['output'];
};

export type RunTableEdge = {
  __typename?: 'RunTableEdge';
  cursor: Scalars['String']['output'];
  node: RunTableRow;
};

/** A key the run logged tables under, and the steps it logged one at (ascending). */
export type RunTableKey = {
  __typename?: 'RunTableKey';
  key: Scalars['String']['output'];
  steps: Array<Scalars['Float']['output']>;
};

/** One row of a logged table: its position in the table as logged, and its cells in column order. */
export type RunTableRow = {
  __typename?: 'RunTableRow';
  /** a string, a number, a boolean or null per column */
  cells: Array<Maybe<Scalars['JSON']['output']>>;
  index: Scalars['Int']['output'];
};

/** A named view of a project's workspace: chart panels and the runs table's state (filter, grouping, columns, sort); opened by /p/<project>?view=<id>. */
export type SavedView = {
  __typename?: 'SavedView';
  /** whether the viewer may edit or delete it (its creator or a project admin) */
  canEdit: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** the creator's name; null once their account is gone */
  createdBy?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** whether it is the viewer's default view of its project */
  isDefault: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  project: Project;
  /** { panels: [...], table: { filter, group, cols, sort, dir } } (see docs/api.md) */
  spec: Scalars['JSON']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type StatusCount = {
  __typename?: 'StatusCount';
  count: Scalars['Int']['output'];
  status: Scalars['String']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** New points of a run (keys, last step): refetch metrics(...) from the last x seen. */
  metricsAppended: MetricsAppended;
  /** Runs of a project as they are created, change status, summary, tags or notes. */
  runUpdated: Run;
  /** Streams a try-it request: what is stored so far, then the text as it is generated, until it ends. */
  tryProgress: TryProgress;
};


export type SubscriptionMetricsAppendedArgs = {
  runId: Scalars['ID']['input'];
};


export type SubscriptionRunUpdatedArgs = {
  project: Scalars['String']['input'];
};


export type SubscriptionTryProgressArgs = {
  id: Scalars['ID']['input'];
};

/** A hyperparameter search: its config, state, runs and what it has found so far. */
export type Sweep = {
  __typename?: 'Sweep';
  baseConfig: Scalars['JSON']['output'];
  best?: Maybe<SweepBest>;
  /** The best metric value after each finished run, in proposal order. */
  bestSoFar: Array<Scalars['Double']['output']>;
  config: Scalars['JSON']['output'];
  counts: Array<StatusCount>;
  id: Scalars['ID']['output'];
  /** Every parameter of the search space, the strongest first. */
  importance: Array<ParameterImportance>;
  name: Scalars['String']['output'];
  project: Project;
  proposals: Scalars['Int']['output'];
  runs: Array<Run>;
  state: Scalars['String']['output'];
  /** The sweep's runs with their parameters and metric value: what a large sweep's page needs, a fraction of runs { summary }. */
  trials: Array<SweepTrial>;
};

export type SweepBest = {
  __typename?: 'SweepBest';
  run: Run;
  value: Scalars['Double']['output'];
};

/** A proposal of a program sweep for an agent: the run to report into, its parameters and the sweep's program and command (W&B macros unexpanded). `runId` is null when there is nothing to run now: the sweep is paused or every allowed trial is running (ask again), or it is finished or cancelled (`sweepState`: stop). */
export type SweepClaim = {
  __typename?: 'SweepClaim';
  attempt?: Maybe<Scalars['Int']['output']>;
  command?: Maybe<Array<Scalars['String']['output']>>;
  params?: Maybe<Scalars['JSON']['output']>;
  program?: Maybe<Scalars['String']['output']>;
  /** The sweep's project (its name): the script's run is there, whatever project the script names. */
  project?: Maybe<Scalars['String']['output']>;
  runId?: Maybe<Scalars['ID']['output']>;
  sweepState: Scalars['String']['output'];
};

/** One run of a sweep as its page needs it: the parameters it was given and the sweep metric's value (no full summary). */
export type SweepTrial = {
  __typename?: 'SweepTrial';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  params?: Maybe<Scalars['JSON']['output']>;
  status: Scalars['String']['output'];
  /** For a pruned run, why (Run.stopDetail). */
  stopDetail?: Maybe<Scalars['String']['output']>;
  value?: Maybe<Scalars['Double']['output']>;
};

/** A condition on one column: compared with `value` (cells of the value's JSON type only; EQ / NE with null test for null), or CONTAINS: the cell's text holds `value`, ignoring case. */
export type TableFilter = {
  column: Scalars['String']['input'];
  op: TableFilterOp;
  value?: InputMaybe<Scalars['JSON']['input']>;
};

export type TableFilterOp =
  | 'CONTAINS'
  | 'EQ'
  | 'GT'
  | 'GTE'
  | 'LT'
  | 'LTE'
  | 'NE';

/** What logTable did: stored the table (false: the same table was already logged), and its rows. */
export type TableLogged = {
  __typename?: 'TableLogged';
  rows: Scalars['Int']['output'];
  stored: Scalars['Boolean']['output'];
};

export type TableOrder = {
  column: Scalars['String']['input'];
  direction?: InputMaybe<TableOrderDirection>;
};

export type TableOrderDirection =
  | 'ASC'
  | 'DESC';

export type TryKind =
  /** a classifier gives the probability of each class */
  | 'classify'
  /** a causal language model continues the prompt */
  | 'generate';

/** Sampling options for a generating model (ignored by a classifier). maxNewTokens at most 256. */
export type TryModelOptions = {
  /** the input is a user's message, answered through the model's chat template (its tokenizer_config.json's chat_template); a model without one fails the request. Default false */
  chat?: InputMaybe<Scalars['Boolean']['input']>;
  /** default 64 */
  maxNewTokens?: InputMaybe<Scalars['Int']['input']>;
  /** the same seed gives the same text; default 0 */
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** stop sequences (not part of the output) */
  stop?: InputMaybe<Array<Scalars['String']['input']>>;
  /** with chat: a system message before the user's (at most 4000 characters) */
  system?: InputMaybe<Scalars['String']['input']>;
  /** 0 is greedy; default 1 */
  temperature?: InputMaybe<Scalars['Float']['input']>;
  /** 0 is off (default) */
  topK?: InputMaybe<Scalars['Int']['input']>;
  /** 1 is off (default) */
  topP?: InputMaybe<Scalars['Float']['input']>;
};

/** A try-it request's progress: the first event is what is stored so far (index 0), then text as the worker generates it. The stream ends after a finished or failed status; read the request for its probabilities, finish reason or error. */
export type TryProgress = {
  __typename?: 'TryProgress';
  /** Tokens in text. */
  count: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** The index of the first token of text. */
  index: Scalars['Int']['output'];
  /** The stored request (read again for this event). */
  request: TryRequest;
  status: TryStatus;
  /** Generated text from token index on. */
  text: Scalars['String']['output'];
};

/** One run of a project's model on new input (tryModel): who asked, which model, the input and options, the output and timing. Stored, so results survive and can be audited. */
export type TryRequest = {
  __typename?: 'TryRequest';
  /** The model artifact it ran. */
  artifactId: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Milliseconds from the start to the end. */
  durationMs?: Maybe<Scalars['Float']['output']>;
  /** Why it failed. */
  error?: Maybe<Scalars['String']['output']>;
  /** generate: 'length', 'stop' or 'eos'. */
  finishReason?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Milliseconds from the start (model loaded, prompt read) to the first token. */
  firstTokenMs?: Maybe<Scalars['Float']['output']>;
  /** The worker that ran it. */
  host?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The prompt, or the text classified. */
  input: Scalars['String']['output'];
  kind: TryKind;
  /** generate: maxNewTokens, temperature, topK, topP, seed, stop, chat, system (as resolved). */
  options: Scalars['JSON']['output'];
  /** generate: the text generated so far (without the prompt); classify: the top class. */
  output: Scalars['String']['output'];
  /** classify: the probability of each class, in class order. */
  probabilities?: Maybe<Array<Scalars['Double']['output']>>;
  /** Milliseconds it waited for a worker. */
  queuedMs?: Maybe<Scalars['Float']['output']>;
  /** The run it was asked from. */
  run?: Maybe<Run>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: TryStatus;
  /** Tokens generated so far. */
  tokens: Scalars['Int']['output'];
  /** Who asked (null once that user is deleted). */
  user?: Maybe<Scalars['String']['output']>;
};

export type TryStatus =
  | 'failed'
  | 'finished'
  | 'queued'
  | 'running';

export type User = {
  __typename?: 'User';
  /** The user's API keys, newest first (only the signed-in user's own; a key limited to a project lists that project's). */
  apiKeys: Array<ApiKey>;
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  projects: Array<Project>;
};

export type XAxis =
  /** seconds since the run started */
  | 'relativeTime'
  /** the step number */
  | 'step'
  /** epoch milliseconds */
  | 'wallTime';

export type ApiKeyFieldsFragment = { __typename?: 'ApiKey', id: string, name: string, prefix: string, scope?: ApiKeyScope | null, createdAt: string, lastUsedAt?: string | null, revokedAt?: string | null, project?: { __typename?: 'Project', name: string } | null } & { ' $fragmentName'?: 'ApiKeyFieldsFragment' };

export type CreateKeyMutationVariables = Exact<{
  name: Scalars['String']['input'];
  scope?: InputMaybe<ApiKeyScope>;
  project?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateKeyMutation = { __typename?: 'Mutation', createApiKey: string };

export type RevokeKeyMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RevokeKeyMutation = { __typename?: 'Mutation', revokeApiKey: { __typename?: 'ApiKey', id: string, revokedAt?: string | null } };

export type CreateProjectMutationVariables = Exact<{
  name: Scalars['String']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateProjectMutation = { __typename?: 'Mutation', createProject: { __typename?: 'Project', name: string } };

export type ArtifactPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ArtifactPageQuery = { __typename?: 'Query', artifact: { __typename?: 'Artifact', id: string, name: string, version: number, kind: ArtifactKind, aliases: Array<string>, size: number, digest: string, uri?: string | null, metadata: unknown, createdAt: string, files: Array<{ __typename?: 'ArtifactFile', path: string, size: number, sha256: string }>, run: { __typename?: 'Run', id: string, name: string, project: { __typename?: 'Project', name: string } }, consumers: Array<{ __typename?: 'Run', id: string, name: string }> } };

export type CompareCandidatesQueryVariables = Exact<{
  project: Scalars['String']['input'];
  search?: InputMaybe<Scalars['String']['input']>;
}>;


export type CompareCandidatesQuery = { __typename?: 'Query', runs: { __typename?: 'QueryRunsConnection', edges: Array<{ __typename?: 'QueryRunsConnectionEdge', node: { __typename?: 'Run', id: string, name: string, status: RunStatus } }> } };

export type CompareSummaryFieldsFragment = { __typename?: 'Run', id: string, name: string, summary: unknown } & { ' $fragmentName'?: 'CompareSummaryFieldsFragment' };

export type CompareQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type CompareQuery = { __typename?: 'Query', compare: Array<(
    { __typename?: 'Run', id: string, name: string, config: unknown, summary: unknown, project: { __typename?: 'Project', name: string }, metrics: Array<{ __typename?: 'MetricSeries', key: string, count: number, buckets: Array<{ __typename?: 'MetricBucket', x: number | string, mean: number | string }> }> }
    & { ' $fragmentRefs'?: { 'CompareSummaryFieldsFragment': CompareSummaryFieldsFragment } }
  )> };

export type LoginMutationVariables = Exact<{
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type LoginMutation = { __typename?: 'Mutation', login: { __typename?: 'User', name: string } };

export type RunGroupsQueryVariables = Exact<{
  project: Scalars['String']['input'];
  by: Scalars['String']['input'];
  filter?: InputMaybe<RunFilter>;
  search?: InputMaybe<Scalars['String']['input']>;
  metrics?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
  bins?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RunGroupsQuery = { __typename?: 'Query', runGroups: Array<{ __typename?: 'RunGroup', value?: unknown | null, count: number, bin?: { __typename?: 'GroupBin', lower: number, upper: number } | null, statuses: Array<{ __typename?: 'GroupStatusCount', status: string, count: number }>, aggregates: Array<{ __typename?: 'MetricAggregate', key: string, count: number, mean?: number | null, min?: number | null, max?: number | null }> }> };

export type GroupRunsQueryVariables = Exact<{
  project: Scalars['String']['input'];
  filter?: InputMaybe<RunFilter>;
  search?: InputMaybe<Scalars['String']['input']>;
}>;


export type GroupRunsQuery = { __typename?: 'Query', runs: { __typename?: 'QueryRunsConnection', totalCount: number, edges: Array<{ __typename?: 'QueryRunsConnectionEdge', node: { __typename?: 'Run', id: string, name: string, status: RunStatus, summary: unknown } }> } };

export type DeleteRunsMutationVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DeleteRunsMutation = { __typename?: 'Mutation', deleteRuns: number };

export type RunRowFieldsFragment = { __typename?: 'Run', id: string, name: string, status: RunStatus, tags: Array<string>, createdAt: string, startedAt?: string | null, finishedAt?: string | null, summary: unknown, config: unknown } & { ' $fragmentName'?: 'RunRowFieldsFragment' };

export type LaunchMutationVariables = Exact<{
  project: Scalars['String']['input'];
  config: Scalars['JSON']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
}>;


export type LaunchMutation = { __typename?: 'Mutation', launchRun: { __typename?: 'Run', id: string, status: RunStatus } };

export type LaunchFromQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type LaunchFromQuery = { __typename?: 'Query', run: { __typename?: 'Run', name: string, config: unknown } };

export type LaunchModelsQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type LaunchModelsQuery = { __typename?: 'Query', project: { __typename?: 'Project', models: Array<{ __typename?: 'ModelChoice', name: string, location: string, source: string, kind: string, description: string }> } };

export type MembersQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type MembersQuery = { __typename?: 'Query', me?: { __typename?: 'User', email: string } | null, project: { __typename?: 'Project', name: string, role: string, members: Array<{ __typename?: 'Member', role: string, user: { __typename?: 'User', id: string, email: string, name: string } }> } };

export type SetMemberMutationVariables = Exact<{
  project: Scalars['String']['input'];
  email: Scalars['String']['input'];
  role: Scalars['String']['input'];
}>;


export type SetMemberMutation = { __typename?: 'Mutation', setMember: { __typename?: 'Member', role: string } };

export type RemoveMemberMutationVariables = Exact<{
  project: Scalars['String']['input'];
  email: Scalars['String']['input'];
}>;


export type RemoveMemberMutation = { __typename?: 'Mutation', removeMember: boolean };

export type CreateUserMutationVariables = Exact<{
  project: Scalars['String']['input'];
  email: Scalars['String']['input'];
  name: Scalars['String']['input'];
  password: Scalars['String']['input'];
  role?: InputMaybe<Scalars['String']['input']>;
}>;


export type CreateUserMutation = { __typename?: 'Mutation', createUser: { __typename?: 'User', id: string } };

export type ProjectKeysQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type ProjectKeysQuery = { __typename?: 'Query', project: { __typename?: 'Project', configKeys: Array<{ __typename?: 'KeyInfo', key: string, type: string }> } };

export type CreateSweepMutationVariables = Exact<{
  project: Scalars['String']['input'];
  config: Scalars['JSON']['input'];
  base: Scalars['JSON']['input'];
}>;


export type CreateSweepMutation = { __typename?: 'Mutation', createSweep: { __typename?: 'Sweep', id: string } };

export type RunsQueryVariables = Exact<{
  project: Scalars['String']['input'];
  filter?: InputMaybe<RunFilter>;
  search?: InputMaybe<Scalars['String']['input']>;
  orderBy?: InputMaybe<Array<RunOrder> | RunOrder>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type RunsQuery = { __typename?: 'Query', runs: { __typename?: 'QueryRunsConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'QueryRunsConnectionEdge', node: (
        { __typename?: 'Run', id: string, summary: unknown }
        & { ' $fragmentRefs'?: { 'RunRowFieldsFragment': RunRowFieldsFragment } }
      ) }> } };

export type RunsRunUpdatedSubscriptionVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type RunsRunUpdatedSubscription = { __typename?: 'Subscription', runUpdated: { __typename?: 'Run', id: string, status: RunStatus, startedAt?: string | null, finishedAt?: string | null, summary: unknown } };

export type WorkspaceInfoQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type WorkspaceInfoQuery = { __typename?: 'Query', project: { __typename?: 'Project', id: string, role: string, workspaceMetricKeys: Array<string>, views: Array<{ __typename?: 'SavedView', id: string, name: string, canEdit: boolean }>, defaultView?: { __typename?: 'SavedView', id: string } | null } };

export type WorkspaceViewQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type WorkspaceViewQuery = { __typename?: 'Query', view: { __typename?: 'SavedView', id: string, name: string, spec: unknown, canEdit: boolean, isDefault: boolean } };

export type CreateViewMutationVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
  spec: Scalars['JSON']['input'];
}>;


export type CreateViewMutation = { __typename?: 'Mutation', createView: { __typename?: 'SavedView', id: string, name: string, spec: unknown, canEdit: boolean, isDefault: boolean } };

export type UpdateViewMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  spec?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type UpdateViewMutation = { __typename?: 'Mutation', updateView: { __typename?: 'SavedView', id: string, name: string, spec: unknown, canEdit: boolean, isDefault: boolean } };

export type DeleteViewMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteViewMutation = { __typename?: 'Mutation', deleteView: string };

export type SetDefaultViewMutationVariables = Exact<{
  project: Scalars['String']['input'];
  id?: InputMaybe<Scalars['ID']['input']>;
}>;


export type SetDefaultViewMutation = { __typename?: 'Mutation', setDefaultView?: { __typename?: 'SavedView', id: string, isDefault: boolean } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me?: { __typename?: 'User', name: string, email: string, projects: Array<{ __typename?: 'Project', id: string, name: string, role: string, activity: { __typename?: 'ProjectActivity', runs: number, running: number, lastRunAt?: string | null } }>, apiKeys: Array<(
      { __typename?: 'ApiKey' }
      & { ' $fragmentRefs'?: { 'ApiKeyFieldsFragment': ApiKeyFieldsFragment } }
    )> } | null };

export type RunArtifactsFragment = { __typename?: 'Run', project: { __typename?: 'Project', name: string }, artifacts: Array<{ __typename?: 'Artifact', id: string, kind: ArtifactKind, name: string, version: number, aliases: Array<string>, size: number, uri?: string | null, metadata: unknown, files: Array<{ __typename?: 'ArtifactFile', path: string, size: number }>, consumers: Array<{ __typename?: 'Run', id: string, name: string }> }>, inputs: Array<{ __typename?: 'Artifact', id: string, kind: ArtifactKind, name: string, version: number, aliases: Array<string>, run: { __typename?: 'Run', id: string, name: string } }> } & { ' $fragmentName'?: 'RunArtifactsFragment' };

export type ConsoleFieldsFragment = { __typename?: 'Run', attempt: number, logCount: number, attempts: Array<{ __typename?: 'RunAttempt', number: number, status: RunStatus, startedAt: string, finishedAt?: string | null, host?: string | null, reason?: string | null }>, logs: Array<{ __typename?: 'LogLine', seq: number, stream: string, line: string }> } & { ' $fragmentName'?: 'ConsoleFieldsFragment' };

export type RunAttemptLogsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  attempt: Scalars['Int']['input'];
}>;


export type RunAttemptLogsQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, logCount: number, logs: Array<{ __typename?: 'LogLine', seq: number, stream: string, line: string }> } };

export type RunDetailsFieldsFragment = { __typename?: 'Run', id: string, name: string, tags: Array<string>, notes: string, project: { __typename?: 'Project', name: string } } & { ' $fragmentName'?: 'RunDetailsFieldsFragment' };

export type RenameRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
}>;


export type RenameRunMutation = { __typename?: 'Mutation', renameRun: { __typename?: 'Run', id: string, name: string } };

export type SetRunTagsMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  tags: Array<Scalars['String']['input']> | Scalars['String']['input'];
}>;


export type SetRunTagsMutation = { __typename?: 'Mutation', setTags: { __typename?: 'Run', id: string, tags: Array<string> } };

export type SetRunNotesMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  notes: Scalars['String']['input'];
}>;


export type SetRunNotesMutation = { __typename?: 'Mutation', setNotes: { __typename?: 'Run', id: string, notes: string } };

export type DeleteRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteRunMutation = { __typename?: 'Mutation', deleteRuns: number };

export type RunChartsFieldsFragment = { __typename?: 'Run', id: string, metricKeys: Array<string> } & { ' $fragmentName'?: 'RunChartsFieldsFragment' };

export type RunMetricsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  xAxis?: InputMaybe<XAxis>;
  xKey?: InputMaybe<Scalars['String']['input']>;
  from?: InputMaybe<Scalars['Float']['input']>;
  to?: InputMaybe<Scalars['Float']['input']>;
}>;


export type RunMetricsQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, metrics: Array<{ __typename?: 'MetricSeries', key: string, count: number, buckets: Array<{ __typename?: 'MetricBucket', x: number | string, min: number | string, max: number | string, mean: number | string }> }> } };

export type RunMetricsAppendedSubscriptionVariables = Exact<{
  runId: Scalars['ID']['input'];
}>;


export type RunMetricsAppendedSubscription = { __typename?: 'Subscription', metricsAppended: { __typename?: 'MetricsAppended', keys: Array<string> } };

export type RunConfigFieldsFragment = { __typename?: 'Run', config: unknown } & { ' $fragmentName'?: 'RunConfigFieldsFragment' };

export type RunStopDetailFieldsFragment = { __typename?: 'Run', stopDetail?: string | null, sweep?: { __typename?: 'Sweep', id: string, name: string } | null } & { ' $fragmentName'?: 'RunStopDetailFieldsFragment' };

export type RunControlsFieldsFragment = { __typename?: 'Run', id: string, status: RunStatus, stopRequested: boolean, project: { __typename?: 'Project', name: string } } & { ' $fragmentName'?: 'RunControlsFieldsFragment' };

export type StopRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type StopRunMutation = { __typename?: 'Mutation', stopRun: { __typename?: 'Run', id: string, status: RunStatus, stopRequested: boolean } };

export type RunHeaderFieldsFragment = { __typename?: 'Run', id: string, name: string, status: RunStatus, tags: Array<string>, notes: string, createdAt: string, host?: string | null, gpu?: unknown | null, project: { __typename?: 'Project', name: string } } & { ' $fragmentName'?: 'RunHeaderFieldsFragment' };

export type RunLineageFieldsFragment = { __typename?: 'Run', id: string, forkStep?: number | null, forkedFrom?: { __typename?: 'Run', id: string, name: string } | null, forks: Array<{ __typename?: 'Run', id: string, name: string, forkStep?: number | null }> } & { ' $fragmentName'?: 'RunLineageFieldsFragment' };

export type RunSummaryFieldsFragment = { __typename?: 'Run', summary: unknown } & { ' $fragmentName'?: 'RunSummaryFieldsFragment' };

export type RunQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RunQuery = { __typename?: 'Query', run: (
    { __typename?: 'Run', id: string, project: { __typename?: 'Project', name: string } }
    & { ' $fragmentRefs'?: { 'RunHeaderFieldsFragment': RunHeaderFieldsFragment;'RunDetailsFieldsFragment': RunDetailsFieldsFragment;'RunStopDetailFieldsFragment': RunStopDetailFieldsFragment;'RunLineageFieldsFragment': RunLineageFieldsFragment;'RunControlsFieldsFragment': RunControlsFieldsFragment;'RunSummaryFieldsFragment': RunSummaryFieldsFragment;'RunChartsFieldsFragment': RunChartsFieldsFragment;'RunConfigFieldsFragment': RunConfigFieldsFragment;'RunArtifactsFragment': RunArtifactsFragment;'ConsoleFieldsFragment': ConsoleFieldsFragment } }
  ) };

export type RunPageRunUpdatedSubscriptionVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type RunPageRunUpdatedSubscription = { __typename?: 'Subscription', runUpdated: { __typename?: 'Run', id: string } };

export type RunTablesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RunTablesQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, project: { __typename?: 'Project', name: string }, tables: Array<{ __typename?: 'RunTableKey', key: string, steps: Array<number> }> } };

export type RunTablesUpdatedSubscriptionVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type RunTablesUpdatedSubscription = { __typename?: 'Subscription', runUpdated: { __typename?: 'Run', id: string } };

export type RunSamplesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  key: Scalars['String']['input'];
  step: Scalars['Float']['input'];
}>;


export type RunSamplesQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, table?: { __typename?: 'RunTable', step: number, columns: Array<string>, edges: Array<{ __typename?: 'RunTableEdge', node: { __typename?: 'RunTableRow', index: number, cells: Array<unknown | null> } }> } | null } };

export type RunTableQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  key: Scalars['String']['input'];
  step?: InputMaybe<Scalars['Float']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<Array<TableFilter> | TableFilter>;
  orderBy?: InputMaybe<Array<TableOrder> | TableOrder>;
}>;


export type RunTableQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, table?: { __typename?: 'RunTable', step: number, columns: Array<string>, rowCount: number, totalCount: number, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'RunTableEdge', node: { __typename?: 'RunTableRow', index: number, cells: Array<unknown | null> } }> } | null } };

export type SweepBestFieldsFragment = { __typename?: 'Sweep', bestSoFar: Array<number | string>, best?: { __typename?: 'SweepBest', value: number | string, run: { __typename?: 'Run', id: string, name: string, sweepParams?: unknown | null } } | null } & { ' $fragmentName'?: 'SweepBestFieldsFragment' };

export type SweepHeaderFieldsFragment = { __typename?: 'Sweep', id: string, name: string, state: string, proposals: number, counts: Array<{ __typename?: 'StatusCount', status: string, count: number }> } & { ' $fragmentName'?: 'SweepHeaderFieldsFragment' };

export type SteerSweepMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  pause: Scalars['Boolean']['input'];
  resume: Scalars['Boolean']['input'];
  cancel: Scalars['Boolean']['input'];
}>;


export type SteerSweepMutation = { __typename?: 'Mutation', pauseSweep?: { __typename?: 'Sweep', id: string, state: string }, resumeSweep?: { __typename?: 'Sweep', id: string, state: string }, cancelSweep?: { __typename?: 'Sweep', id: string, state: string } };

export type SweepParametersFieldsFragment = { __typename?: 'Sweep', importance: Array<{ __typename?: 'ParameterImportance', parameter: string, measure: ImportanceMeasure, value?: number | string | null, runs: number }>, trials: Array<{ __typename?: 'SweepTrial', id: string, name: string, params?: unknown | null, value?: number | string | null }> } & { ' $fragmentName'?: 'SweepParametersFieldsFragment' };

export type SweepTrialFieldsFragment = { __typename?: 'SweepTrial', id: string, name: string, status: string, params?: unknown | null, value?: number | string | null, stopDetail?: string | null } & { ' $fragmentName'?: 'SweepTrialFieldsFragment' };

export type SweepQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type SweepQuery = { __typename?: 'Query', sweep: (
    { __typename?: 'Sweep', id: string, config: unknown, project: { __typename?: 'Project', name: string }, trials: Array<(
      { __typename?: 'SweepTrial' }
      & { ' $fragmentRefs'?: { 'SweepTrialFieldsFragment': SweepTrialFieldsFragment } }
    )> }
    & { ' $fragmentRefs'?: { 'SweepHeaderFieldsFragment': SweepHeaderFieldsFragment;'SweepBestFieldsFragment': SweepBestFieldsFragment;'SweepParametersFieldsFragment': SweepParametersFieldsFragment } }
  ) };

export type SweepRunUpdatedSubscriptionVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type SweepRunUpdatedSubscription = { __typename?: 'Subscription', runUpdated: { __typename?: 'Run', id: string } };

export type SessionQueryVariables = Exact<{ [key: string]: never; }>;


export type SessionQuery = { __typename?: 'Query', localSignInAvailable: boolean, me?: { __typename?: 'User', email: string } | null };

export type SignInLocallyMutationVariables = Exact<{ [key: string]: never; }>;


export type SignInLocallyMutation = { __typename?: 'Mutation', localSignIn: { __typename?: 'User', email: string } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { __typename?: 'Mutation', logout: boolean };

export type TryItRunQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TryItRunQuery = { __typename?: 'Query', run: { __typename?: 'Run', id: string, config: unknown, artifacts: Array<{ __typename?: 'Artifact', id: string, kind: ArtifactKind }>, tryRequests: Array<{ __typename?: 'TryRequest', id: string, kind: TryKind, status: TryStatus, input: string, output: string, error?: string | null, user?: string | null, createdAt: string, durationMs?: number | null }> } };

export type TryItArtifactQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TryItArtifactQuery = { __typename?: 'Query', artifact: { __typename?: 'Artifact', id: string, kind: ArtifactKind, files: Array<{ __typename?: 'ArtifactFile', path: string }>, run: { __typename?: 'Run', id: string, config: unknown }, tryRequests: Array<{ __typename?: 'TryRequest', id: string, kind: TryKind, status: TryStatus, input: string, output: string, error?: string | null, user?: string | null, createdAt: string, durationMs?: number | null }> } };

export type TryModelMutationVariables = Exact<{
  run?: InputMaybe<Scalars['ID']['input']>;
  artifact?: InputMaybe<Scalars['String']['input']>;
  input: Scalars['String']['input'];
  options?: InputMaybe<TryModelOptions>;
}>;


export type TryModelMutation = { __typename?: 'Mutation', tryModel: { __typename?: 'TryRequest', id: string, kind: TryKind, status: TryStatus } };

export type TryItProgressSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TryItProgressSubscription = { __typename?: 'Subscription', tryProgress: { __typename?: 'TryProgress', status: TryStatus, index: number, count: number, text: string } };

export type TryItResultQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type TryItResultQuery = { __typename?: 'Query', tryRequest: { __typename?: 'TryRequest', id: string, kind: TryKind, status: TryStatus, output: string, tokens: number, probabilities?: Array<number | string> | null, finishReason?: string | null, error?: string | null, host?: string | null, firstTokenMs?: number | null, durationMs?: number | null } };

export type ValidateConfigQueryVariables = Exact<{
  kind: ConfigKind;
  config: Scalars['JSON']['input'];
  base?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type ValidateConfigQuery = { __typename?: 'Query', validateConfig: Array<{ __typename?: 'ConfigIssue', path: string, message: string, severity: string }> };

export const ApiKeyFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApiKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<ApiKeyFieldsFragment, unknown>;
export const CompareSummaryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompareSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]} as unknown as DocumentNode<CompareSummaryFieldsFragment, unknown>;
export const RunRowFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRowFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"config"}}]}}]} as unknown as DocumentNode<RunRowFieldsFragment, unknown>;
export const RunArtifactsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunArtifacts"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}},{"kind":"Field","name":{"kind":"Name","value":"consumers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<RunArtifactsFragment, unknown>;
export const ConsoleFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"logCount"}},{"kind":"Field","name":{"kind":"Name","value":"logs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"stream"}},{"kind":"Field","name":{"kind":"Name","value":"line"}}]}}]}}]} as unknown as DocumentNode<ConsoleFieldsFragment, unknown>;
export const RunDetailsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunDetailsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunDetailsFieldsFragment, unknown>;
export const RunChartsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunChartsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metricKeys"}}]}}]} as unknown as DocumentNode<RunChartsFieldsFragment, unknown>;
export const RunConfigFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunConfigFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"config"}}]}}]} as unknown as DocumentNode<RunConfigFieldsFragment, unknown>;
export const RunStopDetailFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunStopDetailFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopDetail"}},{"kind":"Field","name":{"kind":"Name","value":"sweep"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunStopDetailFieldsFragment, unknown>;
export const RunControlsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunControlsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"stopRequested"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunControlsFieldsFragment, unknown>;
export const RunHeaderFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunHeaderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"gpu"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RunHeaderFieldsFragment, unknown>;
export const RunLineageFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunLineageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"forkStep"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"forkStep"}}]}}]}}]} as unknown as DocumentNode<RunLineageFieldsFragment, unknown>;
export const RunSummaryFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]} as unknown as DocumentNode<RunSummaryFieldsFragment, unknown>;
export const SweepBestFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepBestFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"best"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sweepParams"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"bestSoFar"}}]}}]} as unknown as DocumentNode<SweepBestFieldsFragment, unknown>;
export const SweepHeaderFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepHeaderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"proposals"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]} as unknown as DocumentNode<SweepHeaderFieldsFragment, unknown>;
export const SweepParametersFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepParametersFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"parameter"}},{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"runs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"trials"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}}]} as unknown as DocumentNode<SweepParametersFieldsFragment, unknown>;
export const SweepTrialFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepTrialFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SweepTrial"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"stopDetail"}}]}}]} as unknown as DocumentNode<SweepTrialFieldsFragment, unknown>;
export const CreateKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"scope"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKeyScope"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"scope"},"value":{"kind":"Variable","name":{"kind":"Name","value":"scope"}}},{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}]}]}}]} as unknown as DocumentNode<CreateKeyMutation, CreateKeyMutationVariables>;
export const RevokeKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiKey"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<RevokeKeyMutation, RevokeKeyMutationVariables>;
export const CreateProjectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateProject"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"description"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createProject"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"description"},"value":{"kind":"Variable","name":{"kind":"Name","value":"description"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<CreateProjectMutation, CreateProjectMutationVariables>;
export const ArtifactPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArtifactPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"digest"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}}]}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"consumers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ArtifactPageQuery, ArtifactPageQueryVariables>;
export const CompareCandidatesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CompareCandidates"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"8"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CompareCandidatesQuery, CompareCandidatesQueryVariables>;
export const CompareDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Compare"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compare"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CompareSummaryFields"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"samples"},"value":{"kind":"IntValue","value":"150"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"x"}},{"kind":"Field","name":{"kind":"Name","value":"mean"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CompareSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]} as unknown as DocumentNode<CompareQuery, CompareQueryVariables>;
export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const RunGroupsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunGroups"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"by"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metrics"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bins"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runGroups"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"by"},"value":{"kind":"Variable","name":{"kind":"Name","value":"by"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"metrics"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metrics"}}},{"kind":"Argument","name":{"kind":"Name","value":"bins"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bins"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"bin"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"lower"}},{"kind":"Field","name":{"kind":"Name","value":"upper"}}]}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"aggregates"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"mean"}},{"kind":"Field","name":{"kind":"Name","value":"min"}},{"kind":"Field","name":{"kind":"Name","value":"max"}}]}}]}}]}}]} as unknown as DocumentNode<RunGroupsQuery, RunGroupsQueryVariables>;
export const GroupRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GroupRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]}}]}}]}}]} as unknown as DocumentNode<GroupRunsQuery, GroupRunsQueryVariables>;
export const DeleteRunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRuns"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<DeleteRunsMutation, DeleteRunsMutationVariables>;
export const LaunchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Launch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"config"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"launchRun"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"config"},"value":{"kind":"Variable","name":{"kind":"Name","value":"config"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<LaunchMutation, LaunchMutationVariables>;
export const LaunchFromDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LaunchFrom"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"config"}}]}}]}}]} as unknown as DocumentNode<LaunchFromQuery, LaunchFromQueryVariables>;
export const LaunchModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LaunchModels"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ref"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]}}]} as unknown as DocumentNode<LaunchModelsQuery, LaunchModelsQueryVariables>;
export const MembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Members"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"project"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ref"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"members"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<MembersQuery, MembersQueryVariables>;
export const SetMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<SetMemberMutation, SetMemberMutationVariables>;
export const RemoveMemberDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveMember"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeMember"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}]}]}}]} as unknown as DocumentNode<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const CreateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"role"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}},{"kind":"Argument","name":{"kind":"Name","value":"role"},"value":{"kind":"Variable","name":{"kind":"Name","value":"role"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<CreateUserMutation, CreateUserMutationVariables>;
export const ProjectKeysDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProjectKeys"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ref"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"configKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"type"}}]}}]}}]}}]} as unknown as DocumentNode<ProjectKeysQuery, ProjectKeysQueryVariables>;
export const CreateSweepDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSweep"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"config"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"base"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSweep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"config"},"value":{"kind":"Variable","name":{"kind":"Name","value":"config"}}},{"kind":"Argument","name":{"kind":"Name","value":"baseConfig"},"value":{"kind":"Variable","name":{"kind":"Name","value":"base"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<CreateSweepMutation, CreateSweepMutationVariables>;
export const RunsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Runs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RunFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RunOrder"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunRowFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunRowFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}},{"kind":"Field","name":{"kind":"Name","value":"config"}}]}}]} as unknown as DocumentNode<RunsQuery, RunsQueryVariables>;
export const RunsRunUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RunsRunUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}}]}}]} as unknown as DocumentNode<RunsRunUpdatedSubscription, RunsRunUpdatedSubscriptionVariables>;
export const WorkspaceInfoDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceInfo"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ref"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"workspaceMetricKeys"}},{"kind":"Field","name":{"kind":"Name","value":"views"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"canEdit"}}]}},{"kind":"Field","name":{"kind":"Name","value":"defaultView"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<WorkspaceInfoQuery, WorkspaceInfoQueryVariables>;
export const WorkspaceViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WorkspaceView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"view"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"spec"}},{"kind":"Field","name":{"kind":"Name","value":"canEdit"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}}]}}]}}]} as unknown as DocumentNode<WorkspaceViewQuery, WorkspaceViewQueryVariables>;
export const CreateViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"spec"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createView"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}},{"kind":"Argument","name":{"kind":"Name","value":"spec"},"value":{"kind":"Variable","name":{"kind":"Name","value":"spec"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"spec"}},{"kind":"Field","name":{"kind":"Name","value":"canEdit"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}}]}}]}}]} as unknown as DocumentNode<CreateViewMutation, CreateViewMutationVariables>;
export const UpdateViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"spec"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateView"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"spec"},"value":{"kind":"Variable","name":{"kind":"Name","value":"spec"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"spec"}},{"kind":"Field","name":{"kind":"Name","value":"canEdit"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}}]}}]}}]} as unknown as DocumentNode<UpdateViewMutation, UpdateViewMutationVariables>;
export const DeleteViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteView"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<DeleteViewMutation, DeleteViewMutationVariables>;
export const SetDefaultViewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetDefaultView"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setDefaultView"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}},{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"isDefault"}}]}}]}}]} as unknown as DocumentNode<SetDefaultViewMutation, SetDefaultViewMutationVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"projects"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runs"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"lastRunAt"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiKeys"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ApiKeyFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ApiKeyFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiKey"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"scope"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const RunAttemptLogsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunAttemptLogs"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"attempt"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"logCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"attempt"},"value":{"kind":"Variable","name":{"kind":"Name","value":"attempt"}}}]},{"kind":"Field","name":{"kind":"Name","value":"logs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"attempt"},"value":{"kind":"Variable","name":{"kind":"Name","value":"attempt"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"stream"}},{"kind":"Field","name":{"kind":"Name","value":"line"}}]}}]}}]}}]} as unknown as DocumentNode<RunAttemptLogsQuery, RunAttemptLogsQueryVariables>;
export const RenameRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RenameRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"renameRun"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<RenameRunMutation, RenameRunMutationVariables>;
export const SetRunTagsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetRunTags"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"tags"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setTags"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"tags"},"value":{"kind":"Variable","name":{"kind":"Name","value":"tags"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}}]}}]}}]} as unknown as DocumentNode<SetRunTagsMutation, SetRunTagsMutationVariables>;
export const SetRunNotesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetRunNotes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"notes"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setNotes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"notes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"notes"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}}]}}]}}]} as unknown as DocumentNode<SetRunNotesMutation, SetRunNotesMutationVariables>;
export const DeleteRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRuns"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runIds"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"id"}}]}}]}]}}]} as unknown as DocumentNode<DeleteRunMutation, DeleteRunMutationVariables>;
export const RunMetricsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunMetrics"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"xAxis"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"XAxis"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"xKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metrics"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"xAxis"},"value":{"kind":"Variable","name":{"kind":"Name","value":"xAxis"}}},{"kind":"Argument","name":{"kind":"Name","value":"xKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"xKey"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}},{"kind":"Argument","name":{"kind":"Name","value":"samples"},"value":{"kind":"IntValue","value":"1000"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"buckets"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"x"}},{"kind":"Field","name":{"kind":"Name","value":"min"}},{"kind":"Field","name":{"kind":"Name","value":"max"}},{"kind":"Field","name":{"kind":"Name","value":"mean"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RunMetricsQuery, RunMetricsQueryVariables>;
export const RunMetricsAppendedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RunMetricsAppended"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"runId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"metricsAppended"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"runId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"keys"}}]}}]}}]} as unknown as DocumentNode<RunMetricsAppendedSubscription, RunMetricsAppendedSubscriptionVariables>;
export const StopRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopRun"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"runId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"stopRequested"}}]}}]}}]} as unknown as DocumentNode<StopRunMutation, StopRunMutationVariables>;
export const RunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Run"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunHeaderFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunDetailsFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunStopDetailFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunLineageFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunControlsFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunSummaryFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunChartsFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunConfigFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"RunArtifacts"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ConsoleFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunHeaderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"gpu"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunDetailsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"notes"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunStopDetailFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopDetail"}},{"kind":"Field","name":{"kind":"Name","value":"sweep"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunLineageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"forkStep"}},{"kind":"Field","name":{"kind":"Name","value":"forkedFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"forks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"forkStep"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunControlsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"stopRequested"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunSummaryFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"summary"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunChartsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"metricKeys"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunConfigFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"config"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RunArtifacts"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"uri"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}},{"kind":"Field","name":{"kind":"Name","value":"consumers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"inputs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"aliases"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ConsoleFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Run"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"attempt"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"logCount"}},{"kind":"Field","name":{"kind":"Name","value":"logs"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"500"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"stream"}},{"kind":"Field","name":{"kind":"Name","value":"line"}}]}}]}}]} as unknown as DocumentNode<RunQuery, RunQueryVariables>;
export const RunPageRunUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RunPageRunUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<RunPageRunUpdatedSubscription, RunPageRunUpdatedSubscriptionVariables>;
export const RunTablesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunTables"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tables"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"steps"}}]}}]}}]}}]} as unknown as DocumentNode<RunTablesQuery, RunTablesQueryVariables>;
export const RunTablesUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"RunTablesUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<RunTablesUpdatedSubscription, RunTablesUpdatedSubscriptionVariables>;
export const RunSamplesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunSamples"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"step"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"step"},"value":{"kind":"Variable","name":{"kind":"Name","value":"step"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"cells"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RunSamplesQuery, RunSamplesQueryVariables>;
export const RunTableDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RunTable"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"key"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"step"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TableFilter"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TableOrder"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"table"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"key"},"value":{"kind":"Variable","name":{"kind":"Name","value":"key"}}},{"kind":"Argument","name":{"kind":"Name","value":"step"},"value":{"kind":"Variable","name":{"kind":"Name","value":"step"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"columns"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"cells"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<RunTableQuery, RunTableQueryVariables>;
export const SteerSweepDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SteerSweep"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"pause"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"resume"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"cancel"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pauseSweep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"pause"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resumeSweep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"resume"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"Field","name":{"kind":"Name","value":"cancelSweep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"directives":[{"kind":"Directive","name":{"kind":"Name","value":"include"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"if"},"value":{"kind":"Variable","name":{"kind":"Name","value":"cancel"}}}]}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}}]} as unknown as DocumentNode<SteerSweepMutation, SteerSweepMutationVariables>;
export const SweepDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Sweep"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sweep"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"project"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SweepHeaderFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SweepBestFields"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SweepParametersFields"}},{"kind":"Field","name":{"kind":"Name","value":"trials"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"SweepTrialFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepHeaderFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"proposals"}},{"kind":"Field","name":{"kind":"Name","value":"counts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepBestFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"best"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"sweepParams"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"bestSoFar"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepParametersFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Sweep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"importance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"parameter"}},{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"runs"}}]}},{"kind":"Field","name":{"kind":"Name","value":"trials"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SweepTrialFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SweepTrial"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"params"}},{"kind":"Field","name":{"kind":"Name","value":"value"}},{"kind":"Field","name":{"kind":"Name","value":"stopDetail"}}]}}]} as unknown as DocumentNode<SweepQuery, SweepQueryVariables>;
export const SweepRunUpdatedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SweepRunUpdated"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"project"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"runUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"project"},"value":{"kind":"Variable","name":{"kind":"Name","value":"project"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<SweepRunUpdatedSubscription, SweepRunUpdatedSubscriptionVariables>;
export const SessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Session"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"localSignInAvailable"}}]}}]} as unknown as DocumentNode<SessionQuery, SessionQueryVariables>;
export const SignInLocallyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignInLocally"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"localSignIn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<SignInLocallyMutation, SignInLocallyMutationVariables>;
export const SignOutDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignOut"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"logout"}}]}}]} as unknown as DocumentNode<SignOutMutation, SignOutMutationVariables>;
export const TryItRunDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TryItRun"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"run"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"config"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tryRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"user"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}}]}}]}}]} as unknown as DocumentNode<TryItRunQuery, TryItRunQueryVariables>;
export const TryItArtifactDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TryItArtifact"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"files"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}}]}},{"kind":"Field","name":{"kind":"Name","value":"run"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"config"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tryRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"user"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}}]}}]}}]} as unknown as DocumentNode<TryItArtifactQuery, TryItArtifactQueryVariables>;
export const TryModelDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TryModel"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"run"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"artifact"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"options"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"TryModelOptions"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tryModel"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"run"},"value":{"kind":"Variable","name":{"kind":"Name","value":"run"}}},{"kind":"Argument","name":{"kind":"Name","value":"artifact"},"value":{"kind":"Variable","name":{"kind":"Name","value":"artifact"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}},{"kind":"Argument","name":{"kind":"Name","value":"options"},"value":{"kind":"Variable","name":{"kind":"Name","value":"options"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<TryModelMutation, TryModelMutationVariables>;
export const TryItProgressDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TryItProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tryProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"text"}}]}}]}}]} as unknown as DocumentNode<TryItProgressSubscription, TryItProgressSubscriptionVariables>;
export const TryItResultDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TryItResult"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tryRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"}},{"kind":"Field","name":{"kind":"Name","value":"probabilities"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"host"}},{"kind":"Field","name":{"kind":"Name","value":"firstTokenMs"}},{"kind":"Field","name":{"kind":"Name","value":"durationMs"}}]}}]}}]} as unknown as DocumentNode<TryItResultQuery, TryItResultQueryVariables>;
export const ValidateConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ValidateConfig"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"kind"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfigKind"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"config"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"base"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validateConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"kind"}}},{"kind":"Argument","name":{"kind":"Name","value":"config"},"value":{"kind":"Variable","name":{"kind":"Name","value":"config"}}},{"kind":"Argument","name":{"kind":"Name","value":"baseConfig"},"value":{"kind":"Variable","name":{"kind":"Name","value":"base"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"severity"}}]}}]}}]} as unknown as DocumentNode<ValidateConfigQuery, ValidateConfigQueryVariables>;