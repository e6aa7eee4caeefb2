import pino, { type Logger } from 'pino';
import { config } from './config';
import { singleton } from './singleton';

export function logger(): Logger {
	return singleton('logger', () => {
		const cfg = config();
		const pretty = cfg.LOG_PRETTY ?? cfg.NODE_ENV === 'development';
		return pino({
			level: cfg.LOG_LEVEL,
			base: { role: cfg.ROLE, pid: process.pid },
			redact: { paths: ['req.headers.cookie', 'req.headers.authorization'], remove: true },
			transport: pretty ? { target: 'pino-pretty', options: { colorize: true } } : undefined
		});
	});
}
