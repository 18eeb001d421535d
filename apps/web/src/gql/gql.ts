/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scope\n    project {\n      name\n    }\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  mutation CreateKey($name: String!, $scope: ApiKeyScope, $project: String) {\n    createApiKey(name: $name, scope: $scope, project: $project)\n  }\n": typeof types.CreateKeyDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeKeyDocument,
    "\n  mutation CreateProject($name: String!, $description: String) {\n    createProject(name: $name, description: $description) {\n      name\n    }\n  }\n": typeof types.CreateProjectDocument,
    "\n  query ArtifactPage($id: ID!) {\n    artifact(id: $id) {\n      id\n      name\n      version\n      kind\n      aliases\n      size\n      digest\n      uri\n      metadata\n      createdAt\n      files {\n        path\n        size\n        sha256\n      }\n      run {\n        id\n        name\n        project {\n          name\n        }\n      }\n      consumers {\n        id\n        name\n      }\n    }\n  }\n": typeof types.ArtifactPageDocument,
    "\n  query CompareCandidates($project: String!, $search: String) {\n    runs(project: $project, search: $search, first: 8) {\n      edges {\n        node {\n          id\n          name\n          status\n        }\n      }\n    }\n  }\n": typeof types.CompareCandidatesDocument,
    "\n  fragment CompareSummaryFields on Run {\n    id\n    name\n    summary\n  }\n": typeof types.CompareSummaryFieldsFragmentDoc,
    "\n  query Compare($ids: [ID!]!) {\n    compare(runIds: $ids) {\n      id\n      name\n      project {\n        name\n      }\n      config\n      summary\n      ...CompareSummaryFields\n      metrics(samples: 150) {\n        key\n        count\n        buckets {\n          x\n          mean\n        }\n      }\n    }\n  }\n": typeof types.CompareDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      name\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query RunGroups(\n    $project: String!\n    $by: String!\n    $filter: RunFilter\n    $search: String\n    $metrics: [String!]\n    $bins: Int\n  ) {\n    runGroups(project: $project, by: $by, filter: $filter, search: $search, metrics: $metrics, bins: $bins) {\n      value\n      bin {\n        lower\n        upper\n      }\n      count\n      statuses {\n        status\n        count\n      }\n      aggregates {\n        key\n        count\n        mean\n        min\n        max\n      }\n    }\n  }\n": typeof types.RunGroupsDocument,
    "\n  query GroupRuns($project: String!, $filter: RunFilter, $search: String) {\n    runs(project: $project, filter: $filter, search: $search, first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          summary\n        }\n      }\n    }\n  }\n": typeof types.GroupRunsDocument,
    "\n  mutation DeleteRuns($ids: [ID!]!) {\n    deleteRuns(runIds: $ids)\n  }\n": typeof types.DeleteRunsDocument,
    "\n  fragment RunRowFields on Run {\n    id\n    name\n    status\n    tags\n    createdAt\n    startedAt\n    finishedAt\n    summary\n    config\n  }\n": typeof types.RunRowFieldsFragmentDoc,
    "\n  mutation Launch($project: String!, $config: JSON!, $name: String) {\n    launchRun(project: $project, config: $config, name: $name) {\n      id\n      status\n    }\n  }\n": typeof types.LaunchDocument,
    "\n  query LaunchFrom($id: ID!) {\n    run(id: $id) {\n      name\n      config\n    }\n  }\n": typeof types.LaunchFromDocument,
    "\n  query LaunchModels($project: String!) {\n    project(ref: $project) {\n      models {\n        name\n        location\n        source\n        kind\n        description\n      }\n    }\n  }\n": typeof types.LaunchModelsDocument,
    "\n  query Members($project: String!) {\n    me {\n      email\n    }\n    project(ref: $project) {\n      name\n      role\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n": typeof types.MembersDocument,
    "\n  mutation SetMember($project: String!, $email: String!, $role: String!) {\n    setMember(project: $project, email: $email, role: $role) {\n      role\n    }\n  }\n": typeof types.SetMemberDocument,
    "\n  mutation RemoveMember($project: String!, $email: String!) {\n    removeMember(project: $project, email: $email)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation CreateUser($project: String!, $email: String!, $name: String!, $password: String!, $role: String) {\n    createUser(project: $project, email: $email, name: $name, password: $password, role: $role) {\n      id\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  query ProjectKeys($project: String!) {\n    project(ref: $project) {\n      configKeys {\n        key\n        type\n      }\n    }\n  }\n": typeof types.ProjectKeysDocument,
    "\n  mutation CreateSweep($project: String!, $config: JSON!, $base: JSON!) {\n    createSweep(project: $project, config: $config, baseConfig: $base) {\n      id\n    }\n  }\n": typeof types.CreateSweepDocument,
    "\n  query Runs(\n    $project: String!\n    $filter: RunFilter\n    $search: String\n    $orderBy: [RunOrder!]\n    $first: Int\n    $after: String\n  ) {\n    runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          summary\n          ...RunRowFields\n        }\n      }\n    }\n  }\n": typeof types.RunsDocument,
    "\n  subscription RunsRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n      status\n      startedAt\n      finishedAt\n      summary\n    }\n  }\n": typeof types.RunsRunUpdatedDocument,
    "\n  query WorkspaceInfo($project: String!) {\n    project(ref: $project) {\n      id\n      role\n      workspaceMetricKeys\n      views {\n        id\n        name\n        canEdit\n      }\n      defaultView {\n        id\n      }\n    }\n  }\n": typeof types.WorkspaceInfoDocument,
    "\n  query WorkspaceView($id: ID!) {\n    view(id: $id) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": typeof types.WorkspaceViewDocument,
    "\n  mutation CreateView($project: String!, $name: String!, $spec: JSON!) {\n    createView(project: $project, name: $name, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": typeof types.CreateViewDocument,
    "\n  mutation UpdateView($id: ID!, $spec: JSON) {\n    updateView(id: $id, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": typeof types.UpdateViewDocument,
    "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id)\n  }\n": typeof types.DeleteViewDocument,
    "\n  mutation SetDefaultView($project: String!, $id: ID) {\n    setDefaultView(project: $project, id: $id) {\n      id\n      isDefault\n    }\n  }\n": typeof types.SetDefaultViewDocument,
    "\n  query Me {\n    me {\n      name\n      email\n      projects {\n        id\n        name\n        role\n        activity {\n          runs\n          running\n          lastRunAt\n        }\n      }\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment RunArtifacts on Run {\n    project {\n      name\n    }\n    artifacts {\n      id\n      kind\n      name\n      version\n      aliases\n      size\n      uri\n      metadata\n      files {\n        path\n        size\n      }\n      consumers {\n        id\n        name\n      }\n    }\n    inputs {\n      id\n      kind\n      name\n      version\n      aliases\n      run {\n        id\n        name\n      }\n    }\n  }\n": typeof types.RunArtifactsFragmentDoc,
    "\n  fragment ConsoleFields on Run {\n    attempt\n    attempts {\n      number\n      status\n      startedAt\n      finishedAt\n      host\n      reason\n    }\n    logCount\n    logs(last: 500) {\n      seq\n      stream\n      line\n    }\n  }\n": typeof types.ConsoleFieldsFragmentDoc,
    "\n  query RunAttemptLogs($id: ID!, $attempt: Int!) {\n    run(id: $id) {\n      id\n      logCount(attempt: $attempt)\n      logs(attempt: $attempt, last: 500) {\n        seq\n        stream\n        line\n      }\n    }\n  }\n": typeof types.RunAttemptLogsDocument,
    "\n  fragment RunDetailsFields on Run {\n    id\n    name\n    tags\n    notes\n    project {\n      name\n    }\n  }\n": typeof types.RunDetailsFieldsFragmentDoc,
    "\n  mutation RenameRun($id: ID!, $name: String!) {\n    renameRun(runId: $id, name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.RenameRunDocument,
    "\n  mutation SetRunTags($id: ID!, $tags: [String!]!) {\n    setTags(runId: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n": typeof types.SetRunTagsDocument,
    "\n  mutation SetRunNotes($id: ID!, $notes: String!) {\n    setNotes(runId: $id, notes: $notes) {\n      id\n      notes\n    }\n  }\n": typeof types.SetRunNotesDocument,
    "\n  mutation DeleteRun($id: ID!) {\n    deleteRuns(runIds: [$id])\n  }\n": typeof types.DeleteRunDocument,
    "\n  fragment RunChartsFields on Run {\n    id\n    metricKeys\n  }\n": typeof types.RunChartsFieldsFragmentDoc,
    "\n  query RunMetrics($id: ID!, $xAxis: XAxis, $xKey: String, $from: Float, $to: Float) {\n    run(id: $id) {\n      id\n      metrics(xAxis: $xAxis, xKey: $xKey, from: $from, to: $to, samples: 1000) {\n        key\n        count\n        buckets {\n          x\n          min\n          max\n          mean\n        }\n      }\n    }\n  }\n": typeof types.RunMetricsDocument,
    "\n  subscription RunMetricsAppended($runId: ID!) {\n    metricsAppended(runId: $runId) {\n      keys\n    }\n  }\n": typeof types.RunMetricsAppendedDocument,
    "\n  fragment RunConfigFields on Run {\n    config\n  }\n": typeof types.RunConfigFieldsFragmentDoc,
    "\n  fragment RunStopDetailFields on Run {\n    stopDetail\n    sweep {\n      id\n      name\n    }\n  }\n": typeof types.RunStopDetailFieldsFragmentDoc,
    "\n  fragment RunControlsFields on Run {\n    id\n    status\n    stopRequested\n    project {\n      name\n    }\n  }\n": typeof types.RunControlsFieldsFragmentDoc,
    "\n  mutation StopRun($id: ID!) {\n    stopRun(runId: $id) {\n      id\n      status\n      stopRequested\n    }\n  }\n": typeof types.StopRunDocument,
    "\n  fragment RunHeaderFields on Run {\n    id\n    name\n    status\n    tags\n    notes\n    createdAt\n    host\n    gpu\n    project {\n      name\n    }\n  }\n": typeof types.RunHeaderFieldsFragmentDoc,
    "\n  fragment RunLineageFields on Run {\n    id\n    forkStep\n    forkedFrom {\n      id\n      name\n    }\n    forks {\n      id\n      name\n      forkStep\n    }\n  }\n": typeof types.RunLineageFieldsFragmentDoc,
    "\n  fragment RunSummaryFields on Run {\n    summary\n  }\n": typeof types.RunSummaryFieldsFragmentDoc,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      ...RunHeaderFields\n      ...RunDetailsFields\n      ...RunStopDetailFields\n      ...RunLineageFields\n      ...RunControlsFields\n      ...RunSummaryFields\n      ...RunChartsFields\n      ...RunConfigFields\n      ...RunArtifacts\n      ...ConsoleFields\n    }\n  }\n": typeof types.RunDocument,
    "\n  subscription RunPageRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": typeof types.RunPageRunUpdatedDocument,
    "\n  query RunTables($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      tables {\n        key\n        steps\n      }\n    }\n  }\n": typeof types.RunTablesDocument,
    "\n  subscription RunTablesUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": typeof types.RunTablesUpdatedDocument,
    "\n  query RunSamples($id: ID!, $key: String!, $step: Float!) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: 100) {\n        step\n        columns\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunSamplesDocument,
    "\n  query RunTable(\n    $id: ID!\n    $key: String!\n    $step: Float\n    $first: Int\n    $after: String\n    $filter: [TableFilter!]\n    $orderBy: [TableOrder!]\n  ) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n        step\n        columns\n        rowCount\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunTableDocument,
    "\n  fragment SweepBestFields on Sweep {\n    best {\n      value\n      run {\n        id\n        name\n        sweepParams\n      }\n    }\n    bestSoFar\n  }\n": typeof types.SweepBestFieldsFragmentDoc,
    "\n  fragment SweepHeaderFields on Sweep {\n    id\n    name\n    state\n    proposals\n    counts {\n      status\n      count\n    }\n  }\n": typeof types.SweepHeaderFieldsFragmentDoc,
    "\n  mutation SteerSweep($id: ID!, $pause: Boolean!, $resume: Boolean!, $cancel: Boolean!) {\n    pauseSweep(id: $id) @include(if: $pause) {\n      id\n      state\n    }\n    resumeSweep(id: $id) @include(if: $resume) {\n      id\n      state\n    }\n    cancelSweep(id: $id) @include(if: $cancel) {\n      id\n      state\n    }\n  }\n": typeof types.SteerSweepDocument,
    "\n  fragment SweepParametersFields on Sweep {\n    importance {\n      parameter\n      measure\n      value\n      runs\n    }\n    trials {\n      id\n      name\n      params\n      value\n    }\n  }\n": typeof types.SweepParametersFieldsFragmentDoc,
    "\n  fragment SweepTrialFields on SweepTrial {\n    id\n    name\n    status\n    params\n    value\n    stopDetail\n  }\n": typeof types.SweepTrialFieldsFragmentDoc,
    "\n  query Sweep($id: ID!) {\n    sweep(id: $id) {\n      id\n      project {\n        name\n      }\n      config\n      ...SweepHeaderFields\n      ...SweepBestFields\n      ...SweepParametersFields\n      trials {\n        ...SweepTrialFields\n      }\n    }\n  }\n": typeof types.SweepDocument,
    "\n  subscription SweepRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": typeof types.SweepRunUpdatedDocument,
    "\n  query Session {\n    me {\n      email\n    }\n    localSignInAvailable\n  }\n": typeof types.SessionDocument,
    "\n  mutation SignInLocally {\n    localSignIn {\n      email\n    }\n  }\n": typeof types.SignInLocallyDocument,
    "\n  mutation SignOut {\n    logout\n  }\n": typeof types.SignOutDocument,
    "\n  query TryItRun($id: ID!) {\n    run(id: $id) {\n      id\n      config\n      artifacts {\n        id\n        kind\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n": typeof types.TryItRunDocument,
    "\n  query TryItArtifact($id: ID!) {\n    artifact(id: $id) {\n      id\n      kind\n      files {\n        path\n      }\n      run {\n        id\n        config\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n": typeof types.TryItArtifactDocument,
    "\n  mutation TryModel($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {\n    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {\n      id\n      kind\n      status\n    }\n  }\n": typeof types.TryModelDocument,
    "\n  subscription TryItProgress($id: ID!) {\n    tryProgress(id: $id) {\n      status\n      index\n      count\n      text\n    }\n  }\n": typeof types.TryItProgressDocument,
    "\n  query TryItResult($id: ID!) {\n    tryRequest(id: $id) {\n      id\n      kind\n      status\n      output\n      tokens\n      probabilities\n      finishReason\n      error\n      host\n      firstTokenMs\n      durationMs\n    }\n  }\n": typeof types.TryItResultDocument,
    "\n  query ValidateConfig($kind: ConfigKind!, $config: JSON!, $base: JSON) {\n    validateConfig(kind: $kind, config: $config, baseConfig: $base) {\n      path\n      message\n      severity\n    }\n  }\n": typeof types.ValidateConfigDocument,
};
const documents: Documents = {
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scope\n    project {\n      name\n    }\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  mutation CreateKey($name: String!, $scope: ApiKeyScope, $project: String) {\n    createApiKey(name: $name, scope: $scope, project: $project)\n  }\n": types.CreateKeyDocument,
    "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeKeyDocument,
    "\n  mutation CreateProject($name: String!, $description: String) {\n    createProject(name: $name, description: $description) {\n      name\n    }\n  }\n": types.CreateProjectDocument,
    "\n  query ArtifactPage($id: ID!) {\n    artifact(id: $id) {\n      id\n      name\n      version\n      kind\n      aliases\n      size\n      digest\n      uri\n      metadata\n      createdAt\n      files {\n        path\n        size\n        sha256\n      }\n      run {\n        id\n        name\n        project {\n          name\n        }\n      }\n      consumers {\n        id\n        name\n      }\n    }\n  }\n": types.ArtifactPageDocument,
    "\n  query CompareCandidates($project: String!, $search: String) {\n    runs(project: $project, search: $search, first: 8) {\n      edges {\n        node {\n          id\n          name\n          status\n        }\n      }\n    }\n  }\n": types.CompareCandidatesDocument,
    "\n  fragment CompareSummaryFields on Run {\n    id\n    name\n    summary\n  }\n": types.CompareSummaryFieldsFragmentDoc,
    "\n  query Compare($ids: [ID!]!) {\n    compare(runIds: $ids) {\n      id\n      name\n      project {\n        name\n      }\n      config\n      summary\n      ...CompareSummaryFields\n      metrics(samples: 150) {\n        key\n        count\n        buckets {\n          x\n          mean\n        }\n      }\n    }\n  }\n": types.CompareDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      name\n    }\n  }\n": types.LoginDocument,
    "\n  query RunGroups(\n    $project: String!\n    $by: String!\n    $filter: RunFilter\n    $search: String\n    $metrics: [String!]\n    $bins: Int\n  ) {\n    runGroups(project: $project, by: $by, filter: $filter, search: $search, metrics: $metrics, bins: $bins) {\n      value\n      bin {\n        lower\n        upper\n      }\n      count\n      statuses {\n        status\n        count\n      }\n      aggregates {\n        key\n        count\n        mean\n        min\n        max\n      }\n    }\n  }\n": types.RunGroupsDocument,
    "\n  query GroupRuns($project: String!, $filter: RunFilter, $search: String) {\n    runs(project: $project, filter: $filter, search: $search, first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          summary\n        }\n      }\n    }\n  }\n": types.GroupRunsDocument,
    "\n  mutation DeleteRuns($ids: [ID!]!) {\n    deleteRuns(runIds: $ids)\n  }\n": types.DeleteRunsDocument,
    "\n  fragment RunRowFields on Run {\n    id\n    name\n    status\n    tags\n    createdAt\n    startedAt\n    finishedAt\n    summary\n    config\n  }\n": types.RunRowFieldsFragmentDoc,
    "\n  mutation Launch($project: String!, $config: JSON!, $name: String) {\n    launchRun(project: $project, config: $config, name: $name) {\n      id\n      status\n    }\n  }\n": types.LaunchDocument,
    "\n  query LaunchFrom($id: ID!) {\n    run(id: $id) {\n      name\n      config\n    }\n  }\n": types.LaunchFromDocument,
    "\n  query LaunchModels($project: String!) {\n    project(ref: $project) {\n      models {\n        name\n        location\n        source\n        kind\n        description\n      }\n    }\n  }\n": types.LaunchModelsDocument,
    "\n  query Members($project: String!) {\n    me {\n      email\n    }\n    project(ref: $project) {\n      name\n      role\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n": types.MembersDocument,
    "\n  mutation SetMember($project: String!, $email: String!, $role: String!) {\n    setMember(project: $project, email: $email, role: $role) {\n      role\n    }\n  }\n": types.SetMemberDocument,
    "\n  mutation RemoveMember($project: String!, $email: String!) {\n    removeMember(project: $project, email: $email)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation CreateUser($project: String!, $email: String!, $name: String!, $password: String!, $role: String) {\n    createUser(project: $project, email: $email, name: $name, password: $password, role: $role) {\n      id\n    }\n  }\n": types.CreateUserDocument,
    "\n  query ProjectKeys($project: String!) {\n    project(ref: $project) {\n      configKeys {\n        key\n        type\n      }\n    }\n  }\n": types.ProjectKeysDocument,
    "\n  mutation CreateSweep($project: String!, $config: JSON!, $base: JSON!) {\n    createSweep(project: $project, config: $config, baseConfig: $base) {\n      id\n    }\n  }\n": types.CreateSweepDocument,
    "\n  query Runs(\n    $project: String!\n    $filter: RunFilter\n    $search: String\n    $orderBy: [RunOrder!]\n    $first: Int\n    $after: String\n  ) {\n    runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          summary\n          ...RunRowFields\n        }\n      }\n    }\n  }\n": types.RunsDocument,
    "\n  subscription RunsRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n      status\n      startedAt\n      finishedAt\n      summary\n    }\n  }\n": types.RunsRunUpdatedDocument,
    "\n  query WorkspaceInfo($project: String!) {\n    project(ref: $project) {\n      id\n      role\n      workspaceMetricKeys\n      views {\n        id\n        name\n        canEdit\n      }\n      defaultView {\n        id\n      }\n    }\n  }\n": types.WorkspaceInfoDocument,
    "\n  query WorkspaceView($id: ID!) {\n    view(id: $id) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": types.WorkspaceViewDocument,
    "\n  mutation CreateView($project: String!, $name: String!, $spec: JSON!) {\n    createView(project: $project, name: $name, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": types.CreateViewDocument,
    "\n  mutation UpdateView($id: ID!, $spec: JSON) {\n    updateView(id: $id, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n": types.UpdateViewDocument,
    "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id)\n  }\n": types.DeleteViewDocument,
    "\n  mutation SetDefaultView($project: String!, $id: ID) {\n    setDefaultView(project: $project, id: $id) {\n      id\n      isDefault\n    }\n  }\n": types.SetDefaultViewDocument,
    "\n  query Me {\n    me {\n      name\n      email\n      projects {\n        id\n        name\n        role\n        activity {\n          runs\n          running\n          lastRunAt\n        }\n      }\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  }\n": types.MeDocument,
    "\n  fragment RunArtifacts on Run {\n    project {\n      name\n    }\n    artifacts {\n      id\n      kind\n      name\n      version\n      aliases\n      size\n      uri\n      metadata\n      files {\n        path\n        size\n      }\n      consumers {\n        id\n        name\n      }\n    }\n    inputs {\n      id\n      kind\n      name\n      version\n      aliases\n      run {\n        id\n        name\n      }\n    }\n  }\n": types.RunArtifactsFragmentDoc,
    "\n  fragment ConsoleFields on Run {\n    attempt\n    attempts {\n      number\n      status\n      startedAt\n      finishedAt\n      host\n      reason\n    }\n    logCount\n    logs(last: 500) {\n      seq\n      stream\n      line\n    }\n  }\n": types.ConsoleFieldsFragmentDoc,
    "\n  query RunAttemptLogs($id: ID!, $attempt: Int!) {\n    run(id: $id) {\n      id\n      logCount(attempt: $attempt)\n      logs(attempt: $attempt, last: 500) {\n        seq\n        stream\n        line\n      }\n    }\n  }\n": types.RunAttemptLogsDocument,
    "\n  fragment RunDetailsFields on Run {\n    id\n    name\n    tags\n    notes\n    project {\n      name\n    }\n  }\n": types.RunDetailsFieldsFragmentDoc,
    "\n  mutation RenameRun($id: ID!, $name: String!) {\n    renameRun(runId: $id, name: $name) {\n      id\n      name\n    }\n  }\n": types.RenameRunDocument,
    "\n  mutation SetRunTags($id: ID!, $tags: [String!]!) {\n    setTags(runId: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n": types.SetRunTagsDocument,
    "\n  mutation SetRunNotes($id: ID!, $notes: String!) {\n    setNotes(runId: $id, notes: $notes) {\n      id\n      notes\n    }\n  }\n": types.SetRunNotesDocument,
    "\n  mutation DeleteRun($id: ID!) {\n    deleteRuns(runIds: [$id])\n  }\n": types.DeleteRunDocument,
    "\n  fragment RunChartsFields on Run {\n    id\n    metricKeys\n  }\n": types.RunChartsFieldsFragmentDoc,
    "\n  query RunMetrics($id: ID!, $xAxis: XAxis, $xKey: String, $from: Float, $to: Float) {\n    run(id: $id) {\n      id\n      metrics(xAxis: $xAxis, xKey: $xKey, from: $from, to: $to, samples: 1000) {\n        key\n        count\n        buckets {\n          x\n          min\n          max\n          mean\n        }\n      }\n    }\n  }\n": types.RunMetricsDocument,
    "\n  subscription RunMetricsAppended($runId: ID!) {\n    metricsAppended(runId: $runId) {\n      keys\n    }\n  }\n": types.RunMetricsAppendedDocument,
    "\n  fragment RunConfigFields on Run {\n    config\n  }\n": types.RunConfigFieldsFragmentDoc,
    "\n  fragment RunStopDetailFields on Run {\n    stopDetail\n    sweep {\n      id\n      name\n    }\n  }\n": types.RunStopDetailFieldsFragmentDoc,
    "\n  fragment RunControlsFields on Run {\n    id\n    status\n    stopRequested\n    project {\n      name\n    }\n  }\n": types.RunControlsFieldsFragmentDoc,
    "\n  mutation StopRun($id: ID!) {\n    stopRun(runId: $id) {\n      id\n      status\n      stopRequested\n    }\n  }\n": types.StopRunDocument,
    "\n  fragment RunHeaderFields on Run {\n    id\n    name\n    status\n    tags\n    notes\n    createdAt\n    host\n    gpu\n    project {\n      name\n    }\n  }\n": types.RunHeaderFieldsFragmentDoc,
    "\n  fragment RunLineageFields on Run {\n    id\n    forkStep\n    forkedFrom {\n      id\n      name\n    }\n    forks {\n      id\n      name\n      forkStep\n    }\n  }\n": types.RunLineageFieldsFragmentDoc,
    "\n  fragment RunSummaryFields on Run {\n    summary\n  }\n": types.RunSummaryFieldsFragmentDoc,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      ...RunHeaderFields\n      ...RunDetailsFields\n      ...RunStopDetailFields\n      ...RunLineageFields\n      ...RunControlsFields\n      ...RunSummaryFields\n      ...RunChartsFields\n      ...RunConfigFields\n      ...RunArtifacts\n      ...ConsoleFields\n    }\n  }\n": types.RunDocument,
    "\n  subscription RunPageRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": types.RunPageRunUpdatedDocument,
    "\n  query RunTables($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      tables {\n        key\n        steps\n      }\n    }\n  }\n": types.RunTablesDocument,
    "\n  subscription RunTablesUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": types.RunTablesUpdatedDocument,
    "\n  query RunSamples($id: ID!, $key: String!, $step: Float!) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: 100) {\n        step\n        columns\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n": types.RunSamplesDocument,
    "\n  query RunTable(\n    $id: ID!\n    $key: String!\n    $step: Float\n    $first: Int\n    $after: String\n    $filter: [TableFilter!]\n    $orderBy: [TableOrder!]\n  ) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n        step\n        columns\n        rowCount\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n": types.RunTableDocument,
    "\n  fragment SweepBestFields on Sweep {\n    best {\n      value\n      run {\n        id\n        name\n        sweepParams\n      }\n    }\n    bestSoFar\n  }\n": types.SweepBestFieldsFragmentDoc,
    "\n  fragment SweepHeaderFields on Sweep {\n    id\n    name\n    state\n    proposals\n    counts {\n      status\n      count\n    }\n  }\n": types.SweepHeaderFieldsFragmentDoc,
    "\n  mutation SteerSweep($id: ID!, $pause: Boolean!, $resume: Boolean!, $cancel: Boolean!) {\n    pauseSweep(id: $id) @include(if: $pause) {\n      id\n      state\n    }\n    resumeSweep(id: $id) @include(if: $resume) {\n      id\n      state\n    }\n    cancelSweep(id: $id) @include(if: $cancel) {\n      id\n      state\n    }\n  }\n": types.SteerSweepDocument,
    "\n  fragment SweepParametersFields on Sweep {\n    importance {\n      parameter\n      measure\n      value\n      runs\n    }\n    trials {\n      id\n      name\n      params\n      value\n    }\n  }\n": types.SweepParametersFieldsFragmentDoc,
    "\n  fragment SweepTrialFields on SweepTrial {\n    id\n    name\n    status\n    params\n    value\n    stopDetail\n  }\n": types.SweepTrialFieldsFragmentDoc,
    "\n  query Sweep($id: ID!) {\n    sweep(id: $id) {\n      id\n      project {\n        name\n      }\n      config\n      ...SweepHeaderFields\n      ...SweepBestFields\n      ...SweepParametersFields\n      trials {\n        ...SweepTrialFields\n      }\n    }\n  }\n": types.SweepDocument,
    "\n  subscription SweepRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n": types.SweepRunUpdatedDocument,
    "\n  query Session {\n    me {\n      email\n    }\n    localSignInAvailable\n  }\n": types.SessionDocument,
    "\n  mutation SignInLocally {\n    localSignIn {\n      email\n    }\n  }\n": types.SignInLocallyDocument,
    "\n  mutation SignOut {\n    logout\n  }\n": types.SignOutDocument,
    "\n  query TryItRun($id: ID!) {\n    run(id: $id) {\n      id\n      config\n      artifacts {\n        id\n        kind\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n": types.TryItRunDocument,
    "\n  query TryItArtifact($id: ID!) {\n    artifact(id: $id) {\n      id\n      kind\n      files {\n        path\n      }\n      run {\n        id\n        config\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n": types.TryItArtifactDocument,
    "\n  mutation TryModel($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {\n    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {\n      id\n      kind\n      status\n    }\n  }\n": types.TryModelDocument,
    "\n  subscription TryItProgress($id: ID!) {\n    tryProgress(id: $id) {\n      status\n      index\n      count\n      text\n    }\n  }\n": types.TryItProgressDocument,
    "\n  query TryItResult($id: ID!) {\n    tryRequest(id: $id) {\n      id\n      kind\n      status\n      output\n      tokens\n      probabilities\n      finishReason\n      error\n      host\n      firstTokenMs\n      durationMs\n    }\n  }\n": types.TryItResultDocument,
    "\n  query ValidateConfig($kind: ConfigKind!, $config: JSON!, $base: JSON) {\n    validateConfig(kind: $kind, config: $config, baseConfig: $base) {\n      path\n      message\n      severity\n    }\n  }\n": types.ValidateConfigDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scope\n    project {\n      name\n    }\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyFields on ApiKey {\n    id\n    name\n    prefix\n    scope\n    project {\n      name\n    }\n    createdAt\n    lastUsedAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateKey($name: String!, $scope: ApiKeyScope, $project: String) {\n    createApiKey(name: $name, scope: $scope, project: $project)\n  }\n"): (typeof documents)["\n  mutation CreateKey($name: String!, $scope: ApiKeyScope, $project: String) {\n    createApiKey(name: $name, scope: $scope, project: $project)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProject($name: String!, $description: String) {\n    createProject(name: $name, description: $description) {\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProject($name: String!, $description: String) {\n    createProject(name: $name, description: $description) {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ArtifactPage($id: ID!) {\n    artifact(id: $id) {\n      id\n      name\n      version\n      kind\n      aliases\n      size\n      digest\n      uri\n      metadata\n      createdAt\n      files {\n        path\n        size\n        sha256\n      }\n      run {\n        id\n        name\n        project {\n          name\n        }\n      }\n      consumers {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query ArtifactPage($id: ID!) {\n    artifact(id: $id) {\n      id\n      name\n      version\n      kind\n      aliases\n      size\n      digest\n      uri\n      metadata\n      createdAt\n      files {\n        path\n        size\n        sha256\n      }\n      run {\n        id\n        name\n        project {\n          name\n        }\n      }\n      consumers {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompareCandidates($project: String!, $search: String) {\n    runs(project: $project, search: $search, first: 8) {\n      edges {\n        node {\n          id\n          name\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CompareCandidates($project: String!, $search: String) {\n    runs(project: $project, search: $search, first: 8) {\n      edges {\n        node {\n          id\n          name\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CompareSummaryFields on Run {\n    id\n    name\n    summary\n  }\n"): (typeof documents)["\n  fragment CompareSummaryFields on Run {\n    id\n    name\n    summary\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Compare($ids: [ID!]!) {\n    compare(runIds: $ids) {\n      id\n      name\n      project {\n        name\n      }\n      config\n      summary\n      ...CompareSummaryFields\n      metrics(samples: 150) {\n        key\n        count\n        buckets {\n          x\n          mean\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Compare($ids: [ID!]!) {\n    compare(runIds: $ids) {\n      id\n      name\n      project {\n        name\n      }\n      config\n      summary\n      ...CompareSummaryFields\n      metrics(samples: 150) {\n        key\n        count\n        buckets {\n          x\n          mean\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunGroups(\n    $project: String!\n    $by: String!\n    $filter: RunFilter\n    $search: String\n    $metrics: [String!]\n    $bins: Int\n  ) {\n    runGroups(project: $project, by: $by, filter: $filter, search: $search, metrics: $metrics, bins: $bins) {\n      value\n      bin {\n        lower\n        upper\n      }\n      count\n      statuses {\n        status\n        count\n      }\n      aggregates {\n        key\n        count\n        mean\n        min\n        max\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunGroups(\n    $project: String!\n    $by: String!\n    $filter: RunFilter\n    $search: String\n    $metrics: [String!]\n    $bins: Int\n  ) {\n    runGroups(project: $project, by: $by, filter: $filter, search: $search, metrics: $metrics, bins: $bins) {\n      value\n      bin {\n        lower\n        upper\n      }\n      count\n      statuses {\n        status\n        count\n      }\n      aggregates {\n        key\n        count\n        mean\n        min\n        max\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GroupRuns($project: String!, $filter: RunFilter, $search: String) {\n    runs(project: $project, filter: $filter, search: $search, first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          summary\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query GroupRuns($project: String!, $filter: RunFilter, $search: String) {\n    runs(project: $project, filter: $filter, search: $search, first: 50) {\n      totalCount\n      edges {\n        node {\n          id\n          name\n          status\n          summary\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRuns($ids: [ID!]!) {\n    deleteRuns(runIds: $ids)\n  }\n"): (typeof documents)["\n  mutation DeleteRuns($ids: [ID!]!) {\n    deleteRuns(runIds: $ids)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRowFields on Run {\n    id\n    name\n    status\n    tags\n    createdAt\n    startedAt\n    finishedAt\n    summary\n    config\n  }\n"): (typeof documents)["\n  fragment RunRowFields on Run {\n    id\n    name\n    status\n    tags\n    createdAt\n    startedAt\n    finishedAt\n    summary\n    config\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Launch($project: String!, $config: JSON!, $name: String) {\n    launchRun(project: $project, config: $config, name: $name) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation Launch($project: String!, $config: JSON!, $name: String) {\n    launchRun(project: $project, config: $config, name: $name) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LaunchFrom($id: ID!) {\n    run(id: $id) {\n      name\n      config\n    }\n  }\n"): (typeof documents)["\n  query LaunchFrom($id: ID!) {\n    run(id: $id) {\n      name\n      config\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LaunchModels($project: String!) {\n    project(ref: $project) {\n      models {\n        name\n        location\n        source\n        kind\n        description\n      }\n    }\n  }\n"): (typeof documents)["\n  query LaunchModels($project: String!) {\n    project(ref: $project) {\n      models {\n        name\n        location\n        source\n        kind\n        description\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Members($project: String!) {\n    me {\n      email\n    }\n    project(ref: $project) {\n      name\n      role\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Members($project: String!) {\n    me {\n      email\n    }\n    project(ref: $project) {\n      name\n      role\n      members {\n        role\n        user {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetMember($project: String!, $email: String!, $role: String!) {\n    setMember(project: $project, email: $email, role: $role) {\n      role\n    }\n  }\n"): (typeof documents)["\n  mutation SetMember($project: String!, $email: String!, $role: String!) {\n    setMember(project: $project, email: $email, role: $role) {\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($project: String!, $email: String!) {\n    removeMember(project: $project, email: $email)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($project: String!, $email: String!) {\n    removeMember(project: $project, email: $email)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($project: String!, $email: String!, $name: String!, $password: String!, $role: String) {\n    createUser(project: $project, email: $email, name: $name, password: $password, role: $role) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($project: String!, $email: String!, $name: String!, $password: String!, $role: String) {\n    createUser(project: $project, email: $email, name: $name, password: $password, role: $role) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ProjectKeys($project: String!) {\n    project(ref: $project) {\n      configKeys {\n        key\n        type\n      }\n    }\n  }\n"): (typeof documents)["\n  query ProjectKeys($project: String!) {\n    project(ref: $project) {\n      configKeys {\n        key\n        type\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSweep($project: String!, $config: JSON!, $base: JSON!) {\n    createSweep(project: $project, config: $config, baseConfig: $base) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSweep($project: String!, $config: JSON!, $base: JSON!) {\n    createSweep(project: $project, config: $config, baseConfig: $base) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs(\n    $project: String!\n    $filter: RunFilter\n    $search: String\n    $orderBy: [RunOrder!]\n    $first: Int\n    $after: String\n  ) {\n    runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          summary\n          ...RunRowFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Runs(\n    $project: String!\n    $filter: RunFilter\n    $search: String\n    $orderBy: [RunOrder!]\n    $first: Int\n    $after: String\n  ) {\n    runs(project: $project, filter: $filter, search: $search, orderBy: $orderBy, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          summary\n          ...RunRowFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunsRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n      status\n      startedAt\n      finishedAt\n      summary\n    }\n  }\n"): (typeof documents)["\n  subscription RunsRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n      status\n      startedAt\n      finishedAt\n      summary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceInfo($project: String!) {\n    project(ref: $project) {\n      id\n      role\n      workspaceMetricKeys\n      views {\n        id\n        name\n        canEdit\n      }\n      defaultView {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceInfo($project: String!) {\n    project(ref: $project) {\n      id\n      role\n      workspaceMetricKeys\n      views {\n        id\n        name\n        canEdit\n      }\n      defaultView {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceView($id: ID!) {\n    view(id: $id) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceView($id: ID!) {\n    view(id: $id) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateView($project: String!, $name: String!, $spec: JSON!) {\n    createView(project: $project, name: $name, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation CreateView($project: String!, $name: String!, $spec: JSON!) {\n    createView(project: $project, name: $name, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateView($id: ID!, $spec: JSON) {\n    updateView(id: $id, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateView($id: ID!, $spec: JSON) {\n    updateView(id: $id, spec: $spec) {\n      id\n      name\n      spec\n      canEdit\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteView($id: ID!) {\n    deleteView(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDefaultView($project: String!, $id: ID) {\n    setDefaultView(project: $project, id: $id) {\n      id\n      isDefault\n    }\n  }\n"): (typeof documents)["\n  mutation SetDefaultView($project: String!, $id: ID) {\n    setDefaultView(project: $project, id: $id) {\n      id\n      isDefault\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      name\n      email\n      projects {\n        id\n        name\n        role\n        activity {\n          runs\n          running\n          lastRunAt\n        }\n      }\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      name\n      email\n      projects {\n        id\n        name\n        role\n        activity {\n          runs\n          running\n          lastRunAt\n        }\n      }\n      apiKeys {\n        ...ApiKeyFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunArtifacts on Run {\n    project {\n      name\n    }\n    artifacts {\n      id\n      kind\n      name\n      version\n      aliases\n      size\n      uri\n      metadata\n      files {\n        path\n        size\n      }\n      consumers {\n        id\n        name\n      }\n    }\n    inputs {\n      id\n      kind\n      name\n      version\n      aliases\n      run {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment RunArtifacts on Run {\n    project {\n      name\n    }\n    artifacts {\n      id\n      kind\n      name\n      version\n      aliases\n      size\n      uri\n      metadata\n      files {\n        path\n        size\n      }\n      consumers {\n        id\n        name\n      }\n    }\n    inputs {\n      id\n      kind\n      name\n      version\n      aliases\n      run {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleFields on Run {\n    attempt\n    attempts {\n      number\n      status\n      startedAt\n      finishedAt\n      host\n      reason\n    }\n    logCount\n    logs(last: 500) {\n      seq\n      stream\n      line\n    }\n  }\n"): (typeof documents)["\n  fragment ConsoleFields on Run {\n    attempt\n    attempts {\n      number\n      status\n      startedAt\n      finishedAt\n      host\n      reason\n    }\n    logCount\n    logs(last: 500) {\n      seq\n      stream\n      line\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunAttemptLogs($id: ID!, $attempt: Int!) {\n    run(id: $id) {\n      id\n      logCount(attempt: $attempt)\n      logs(attempt: $attempt, last: 500) {\n        seq\n        stream\n        line\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunAttemptLogs($id: ID!, $attempt: Int!) {\n    run(id: $id) {\n      id\n      logCount(attempt: $attempt)\n      logs(attempt: $attempt, last: 500) {\n        seq\n        stream\n        line\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunDetailsFields on Run {\n    id\n    name\n    tags\n    notes\n    project {\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunDetailsFields on Run {\n    id\n    name\n    tags\n    notes\n    project {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameRun($id: ID!, $name: String!) {\n    renameRun(runId: $id, name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenameRun($id: ID!, $name: String!) {\n    renameRun(runId: $id, name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRunTags($id: ID!, $tags: [String!]!) {\n    setTags(runId: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n"): (typeof documents)["\n  mutation SetRunTags($id: ID!, $tags: [String!]!) {\n    setTags(runId: $id, tags: $tags) {\n      id\n      tags\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRunNotes($id: ID!, $notes: String!) {\n    setNotes(runId: $id, notes: $notes) {\n      id\n      notes\n    }\n  }\n"): (typeof documents)["\n  mutation SetRunNotes($id: ID!, $notes: String!) {\n    setNotes(runId: $id, notes: $notes) {\n      id\n      notes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRun($id: ID!) {\n    deleteRuns(runIds: [$id])\n  }\n"): (typeof documents)["\n  mutation DeleteRun($id: ID!) {\n    deleteRuns(runIds: [$id])\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunChartsFields on Run {\n    id\n    metricKeys\n  }\n"): (typeof documents)["\n  fragment RunChartsFields on Run {\n    id\n    metricKeys\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunMetrics($id: ID!, $xAxis: XAxis, $xKey: String, $from: Float, $to: Float) {\n    run(id: $id) {\n      id\n      metrics(xAxis: $xAxis, xKey: $xKey, from: $from, to: $to, samples: 1000) {\n        key\n        count\n        buckets {\n          x\n          min\n          max\n          mean\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunMetrics($id: ID!, $xAxis: XAxis, $xKey: String, $from: Float, $to: Float) {\n    run(id: $id) {\n      id\n      metrics(xAxis: $xAxis, xKey: $xKey, from: $from, to: $to, samples: 1000) {\n        key\n        count\n        buckets {\n          x\n          min\n          max\n          mean\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunMetricsAppended($runId: ID!) {\n    metricsAppended(runId: $runId) {\n      keys\n    }\n  }\n"): (typeof documents)["\n  subscription RunMetricsAppended($runId: ID!) {\n    metricsAppended(runId: $runId) {\n      keys\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunConfigFields on Run {\n    config\n  }\n"): (typeof documents)["\n  fragment RunConfigFields on Run {\n    config\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunStopDetailFields on Run {\n    stopDetail\n    sweep {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunStopDetailFields on Run {\n    stopDetail\n    sweep {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunControlsFields on Run {\n    id\n    status\n    stopRequested\n    project {\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunControlsFields on Run {\n    id\n    status\n    stopRequested\n    project {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopRun($id: ID!) {\n    stopRun(runId: $id) {\n      id\n      status\n      stopRequested\n    }\n  }\n"): (typeof documents)["\n  mutation StopRun($id: ID!) {\n    stopRun(runId: $id) {\n      id\n      status\n      stopRequested\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunHeaderFields on Run {\n    id\n    name\n    status\n    tags\n    notes\n    createdAt\n    host\n    gpu\n    project {\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunHeaderFields on Run {\n    id\n    name\n    status\n    tags\n    notes\n    createdAt\n    host\n    gpu\n    project {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunLineageFields on Run {\n    id\n    forkStep\n    forkedFrom {\n      id\n      name\n    }\n    forks {\n      id\n      name\n      forkStep\n    }\n  }\n"): (typeof documents)["\n  fragment RunLineageFields on Run {\n    id\n    forkStep\n    forkedFrom {\n      id\n      name\n    }\n    forks {\n      id\n      name\n      forkStep\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunSummaryFields on Run {\n    summary\n  }\n"): (typeof documents)["\n  fragment RunSummaryFields on Run {\n    summary\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      ...RunHeaderFields\n      ...RunDetailsFields\n      ...RunStopDetailFields\n      ...RunLineageFields\n      ...RunControlsFields\n      ...RunSummaryFields\n      ...RunChartsFields\n      ...RunConfigFields\n      ...RunArtifacts\n      ...ConsoleFields\n    }\n  }\n"): (typeof documents)["\n  query Run($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      ...RunHeaderFields\n      ...RunDetailsFields\n      ...RunStopDetailFields\n      ...RunLineageFields\n      ...RunControlsFields\n      ...RunSummaryFields\n      ...RunChartsFields\n      ...RunConfigFields\n      ...RunArtifacts\n      ...ConsoleFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunPageRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription RunPageRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunTables($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      tables {\n        key\n        steps\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunTables($id: ID!) {\n    run(id: $id) {\n      id\n      project {\n        name\n      }\n      tables {\n        key\n        steps\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunTablesUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription RunTablesUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunSamples($id: ID!, $key: String!, $step: Float!) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: 100) {\n        step\n        columns\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunSamples($id: ID!, $key: String!, $step: Float!) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: 100) {\n        step\n        columns\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunTable(\n    $id: ID!\n    $key: String!\n    $step: Float\n    $first: Int\n    $after: String\n    $filter: [TableFilter!]\n    $orderBy: [TableOrder!]\n  ) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n        step\n        columns\n        rowCount\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunTable(\n    $id: ID!\n    $key: String!\n    $step: Float\n    $first: Int\n    $after: String\n    $filter: [TableFilter!]\n    $orderBy: [TableOrder!]\n  ) {\n    run(id: $id) {\n      id\n      table(key: $key, step: $step, first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n        step\n        columns\n        rowCount\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            index\n            cells\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SweepBestFields on Sweep {\n    best {\n      value\n      run {\n        id\n        name\n        sweepParams\n      }\n    }\n    bestSoFar\n  }\n"): (typeof documents)["\n  fragment SweepBestFields on Sweep {\n    best {\n      value\n      run {\n        id\n        name\n        sweepParams\n      }\n    }\n    bestSoFar\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SweepHeaderFields on Sweep {\n    id\n    name\n    state\n    proposals\n    counts {\n      status\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment SweepHeaderFields on Sweep {\n    id\n    name\n    state\n    proposals\n    counts {\n      status\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SteerSweep($id: ID!, $pause: Boolean!, $resume: Boolean!, $cancel: Boolean!) {\n    pauseSweep(id: $id) @include(if: $pause) {\n      id\n      state\n    }\n    resumeSweep(id: $id) @include(if: $resume) {\n      id\n      state\n    }\n    cancelSweep(id: $id) @include(if: $cancel) {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  mutation SteerSweep($id: ID!, $pause: Boolean!, $resume: Boolean!, $cancel: Boolean!) {\n    pauseSweep(id: $id) @include(if: $pause) {\n      id\n      state\n    }\n    resumeSweep(id: $id) @include(if: $resume) {\n      id\n      state\n    }\n    cancelSweep(id: $id) @include(if: $cancel) {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SweepParametersFields on Sweep {\n    importance {\n      parameter\n      measure\n      value\n      runs\n    }\n    trials {\n      id\n      name\n      params\n      value\n    }\n  }\n"): (typeof documents)["\n  fragment SweepParametersFields on Sweep {\n    importance {\n      parameter\n      measure\n      value\n      runs\n    }\n    trials {\n      id\n      name\n      params\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SweepTrialFields on SweepTrial {\n    id\n    name\n    status\n    params\n    value\n    stopDetail\n  }\n"): (typeof documents)["\n  fragment SweepTrialFields on SweepTrial {\n    id\n    name\n    status\n    params\n    value\n    stopDetail\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Sweep($id: ID!) {\n    sweep(id: $id) {\n      id\n      project {\n        name\n      }\n      config\n      ...SweepHeaderFields\n      ...SweepBestFields\n      ...SweepParametersFields\n      trials {\n        ...SweepTrialFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query Sweep($id: ID!) {\n    sweep(id: $id) {\n      id\n      project {\n        name\n      }\n      config\n      ...SweepHeaderFields\n      ...SweepBestFields\n      ...SweepParametersFields\n      trials {\n        ...SweepTrialFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SweepRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"): (typeof documents)["\n  subscription SweepRunUpdated($project: String!) {\n    runUpdated(project: $project) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Session {\n    me {\n      email\n    }\n    localSignInAvailable\n  }\n"): (typeof documents)["\n  query Session {\n    me {\n      email\n    }\n    localSignInAvailable\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignInLocally {\n    localSignIn {\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation SignInLocally {\n    localSignIn {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    logout\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TryItRun($id: ID!) {\n    run(id: $id) {\n      id\n      config\n      artifacts {\n        id\n        kind\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n"): (typeof documents)["\n  query TryItRun($id: ID!) {\n    run(id: $id) {\n      id\n      config\n      artifacts {\n        id\n        kind\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TryItArtifact($id: ID!) {\n    artifact(id: $id) {\n      id\n      kind\n      files {\n        path\n      }\n      run {\n        id\n        config\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n"): (typeof documents)["\n  query TryItArtifact($id: ID!) {\n    artifact(id: $id) {\n      id\n      kind\n      files {\n        path\n      }\n      run {\n        id\n        config\n      }\n      tryRequests(first: 5) {\n        id\n        kind\n        status\n        input\n        output\n        error\n        user\n        createdAt\n        durationMs\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TryModel($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {\n    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {\n      id\n      kind\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation TryModel($run: ID, $artifact: String, $input: String!, $options: TryModelOptions) {\n    tryModel(run: $run, artifact: $artifact, input: $input, options: $options) {\n      id\n      kind\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TryItProgress($id: ID!) {\n    tryProgress(id: $id) {\n      status\n      index\n      count\n      text\n    }\n  }\n"): (typeof documents)["\n  subscription TryItProgress($id: ID!) {\n    tryProgress(id: $id) {\n      status\n      index\n      count\n      text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TryItResult($id: ID!) {\n    tryRequest(id: $id) {\n      id\n      kind\n      status\n      output\n      tokens\n      probabilities\n      finishReason\n      error\n      host\n      firstTokenMs\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  query TryItResult($id: ID!) {\n    tryRequest(id: $id) {\n      id\n      kind\n      status\n      output\n      tokens\n      probabilities\n      finishReason\n      error\n      host\n      firstTokenMs\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ValidateConfig($kind: ConfigKind!, $config: JSON!, $base: JSON) {\n    validateConfig(kind: $kind, config: $config, baseConfig: $base) {\n      path\n      message\n      severity\n    }\n  }\n"): (typeof documents)["\n  query ValidateConfig($kind: ConfigKind!, $config: JSON!, $base: JSON) {\n    validateConfig(kind: $kind, config: $config, baseConfig: $base) {\n      path\n      message\n      severity\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;