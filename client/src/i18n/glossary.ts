/** The glossary's entries, grouped; their words live in the catalogues under gl.<id>.term / .def. */
import { TCP_STATES } from '../../../shared/tcp/types.ts';

export const GLOSSARY_GROUPS = {
  flags: ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'DATA'],
  numbers: ['seq', 'ack', 'ISN', 'SND_NXT', 'RCV_NXT'],
  states: TCP_STATES,
  ideas: ['segment', 'handshake', 'teardown', 'halfClose', 'MSL', 'retransmission'],
} as const;

export type GlossaryGroup = keyof typeof GLOSSARY_GROUPS;
export type GlossaryId = (typeof GLOSSARY_GROUPS)[GlossaryGroup][number];
