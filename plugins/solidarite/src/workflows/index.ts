// The plugin's workflows, bundled by the worker with every other module's.
// Like all workflow code, these files import only @temporalio/workflow and
// each other: Temporal replays them, so no clock, network, disk or randomness.
export { solidariteCheckIn } from './check-in.js';
export { solidaritePlanRound } from './plan-round.js';
