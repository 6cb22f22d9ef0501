// The floor under any Nx plugin (scripts/bench/graph.ts): Nx starts a worker for it on every
// command without the daemon and hands it the same files as nx-go-docker; it infers nothing.
exports.createNodesV2 = ['**/{go.mod,project.json}', (files) => files.map((file) => [file, {}])];
exports.createNodes = exports.createNodesV2;
exports.createDependencies = () => [];
