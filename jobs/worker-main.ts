export {};
// The worker process entry (`npm run worker`): the same lifecycle as the server, without the web doors.
process.env.ROLE = 'worker';
await import('../server/main');
