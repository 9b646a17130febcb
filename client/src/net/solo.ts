/**
 * Playing alone against a bot: in a practice room the player has just joined, seat a bot on
 * the other side (the server pairs the two at once) and start the round, on the same session.
 */
import type { Level, ScenarioId } from '../../../shared/game/model.ts';
import type { ClientMessage } from '../../../shared/protocol.ts';
import type { Side } from '../../../shared/tcp/types.ts';
import { sendAndWait, type CommandOutcome, type CommandTarget } from './commands.ts';
import type { SessionState } from './session.ts';

/** What the player chose: the side they play, and the round's scenario and level. */
export interface SoloChoice { side: Side; scenario: ScenarioId; level: Level }

/** The commands, in the order the server must see them: the bot (and so the pair) first, then the round. */
export function soloCommands(choice: SoloChoice): ClientMessage[] {
  return [
    { type: 'bot/add', side: choice.side === 'client' ? 'server' : 'client' },
    { type: 'round/start', scenario: choice.scenario, level: choice.level, speedBonus: false },
  ];
}

/** True once the player's view shows them paired with a bot on their side and the chosen round running. */
export function soloReady(choice: SoloChoice): (state: SessionState) => boolean {
  return (state) => {
    const v = state.view;
    return v?.role === 'student' && !!v.pair && v.pair.side === choice.side && v.pair.partner.bot && !!v.pair.game
      && v.round.status === 'running' && v.round.scenario === choice.scenario && v.round.level === choice.level;
  };
}

/** Seat the bot, start the round, and wait until the table can open. */
export function startSolo(session: CommandTarget, choice: SoloChoice, timeoutMs?: number): Promise<CommandOutcome> {
  return sendAndWait(session, soloCommands(choice), soloReady(choice), timeoutMs);
}
