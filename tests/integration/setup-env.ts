import { inject } from 'vitest';
import { envVars } from '../support/test-env';

// Runs before each test file imports anything, so server modules read these at first use.
Object.assign(process.env, envVars(inject('testEnv')), { NODE_ENV: 'test', LOG_LEVEL: 'silent' });
