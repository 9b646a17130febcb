/**
 * Open a class in review on this device with its code and key (the host screen shows the
 * key): the key is kept in this browser, then the overview opens. The server checks it;
 * a wrong one is forgotten again by the overview.
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';
import { classPath } from '../lib/review.ts';
import { navigate } from '../lib/router.ts';
import { normalizeRoomCode } from '../net/api.ts';
import { keys } from '../net/stored.ts';
import { FormError } from './FormError.tsx';

export function ReviewKeyForm({ code: fixedCode, idPrefix }: { code?: string; idPrefix: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(fixedCode ?? '');
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorId = `${idPrefix}-error`;
  return (
    <form class="stack" aria-describedby={error ? errorId : undefined} onSubmit={(e) => {
      e.preventDefault();
      const c = normalizeRoomCode(code);
      if (!c || !key.trim()) { setError(t('review.key.needBoth')); return; }
      setError(null);
      const held = keys.get(c);
      keys.set(c, { key: key.trim(), kind: held?.kind ?? 'class', createdAt: held?.createdAt ?? Date.now() });
      navigate(classPath(c));
    }}>
      {!fixedCode && (
        <label class="field">
          <span>{t('start.join.code')}</span>
          <input type="text" name="review-code" id={`${idPrefix}-code`} value={code} autocomplete="off" maxLength={16} class="code-input"
            onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)} />
        </label>
      )}
      <label class="field">
        <span>{t('start.byKey.key')}</span>
        <input type="password" name="review-key" id={`${idPrefix}-key`} value={key} autocomplete="off" maxLength={128}
          onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {error && <FormError id={errorId}>{error}</FormError>}
      <div class="row"><button type="submit" class="btn">{t('review.key.submit')}</button></div>
    </form>
  );
}
