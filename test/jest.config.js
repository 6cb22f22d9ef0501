/** E2E tests: a packed plugin in a fresh Nx workspace, real nx, go, docker and Postgres. */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  testMatch: ['<rootDir>/test/**/*.e2e.ts'],
  testTimeout: 20 * 60 * 1000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/test/global-setup.ts',
};
