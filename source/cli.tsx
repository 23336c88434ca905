// Entry point: flags decide which cluster, then render the cockpit or run a headless command.
console.log('rollout-cockpit: not yet built');
