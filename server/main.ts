/** `npm start`: serve SYN/ACK on PORT (default 3000). */
import { createApp } from './app.ts';

const port = Number(process.env.PORT ?? 3000);
const server = createApp().listen(port, () => {
  console.log(`SYN/ACK listening on http://localhost:${port}`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.close(() => process.exit(0)));
