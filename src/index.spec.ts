describe('the plugin entry', () => {
  it('loads no @nx/devkit until a generator is called (Nx loads it in a worker for every graph)', () => {
    jest.isolateModules(() => {
      jest.doMock('@nx/devkit', () => {
        throw new Error('@nx/devkit was loaded');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const entry = require('./index') as typeof import('./index');
      expect(typeof entry.createNodesV2[1]).toBe('function');
      expect(typeof entry.createDependencies).toBe('function');
      expect(() => entry.initGenerator(undefined as never)).toThrow('@nx/devkit was loaded');
    });
  });
});
