import { z } from 'zod';

/** Typed Socket.IO event maps shared by server and client. Every payload is zod-checked on arrival. */
export interface ServerToClientEvents {
	hello: (info: { instance: string; at: number }) => void;
}

export interface ClientToServerEvents {
	ping: (payload: { sent: number }, ack: (reply: { pong: true; sent: number; at: number }) => void) => void;
}

export const pingSchema = z.object({ sent: z.number().finite() });
