import type { TestProject } from 'vitest/node';
import { dropTestEnv, newTestEnv, type TestEnv } from '../support/test-env';

let env: TestEnv | undefined;

export async function setup(project: TestProject): Promise<void> {
	env = newTestEnv('it');
	project.provide('testEnv', env);
}

export async function teardown(): Promise<void> {
	if (env) await dropTestEnv(env);
}

declare module 'vitest' {
	export interface ProvidedContext {
		testEnv: TestEnv;
	}
}
