import { createDatabase, type DatabaseHandle } from '../db/client';
import { config } from './config';
import { singleton } from './singleton';

export function database(): DatabaseHandle {
	return singleton('db', () => createDatabase(config().DATABASE_URL, { applicationName: `muster-${config().ROLE}` }));
}
