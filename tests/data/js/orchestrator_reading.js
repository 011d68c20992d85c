// What the orchestrator's own parser (scripts/lib/plan-status.js) reads from plan files.
//
// Usage: node orchestrator_reading.js PLAN_STATUS_JS < paths.json
// Reads a JSON list of plan paths on stdin and prints one JSON object per plan (a JSON list):
// {path, phases: [{id, name}], tasks: [{id, phase, title}], groups: [{taskRange, taskIds, reason}],
//  deps: {taskId: [ids]}}. One node process reads many plans, so the parity test stays fast.
'use strict';
const fs = require('fs');
const lib = require(process.argv[2]);

const paths = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = paths.map((file) => {
  const content = fs.readFileSync(file, 'utf8');
  const phases = lib.parsePhases(content);
  const tasks = [];
  for (const phase of phases) {
    for (const task of phase.tasks) tasks.push({ id: task.id, phase: phase.id, title: task.title });
  }
  const notes = lib.parseExecutionNotes(content);
  const graph = lib.buildDependencyGraph(tasks.map((t) => ({ id: t.id, description: t.title })));
  const deps = {};
  for (const [id, node] of graph) deps[id] = node.dependencies;
  return {
    path: file,
    phases: phases.map((p) => ({ id: p.id, name: p.name })),
    tasks,
    groups: notes.sequential.map((g) => ({ taskRange: g.taskRange, taskIds: g.taskIds, reason: g.reason })),
    deps,
  };
});
process.stdout.write(JSON.stringify(out));
