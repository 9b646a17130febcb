/** A form's or page's error line: announced at once (role="alert"), marked ✗ as well as red. */
import type { ComponentChildren } from 'preact';

export function FormError({ id, testId, children }: { id?: string; testId?: string; children: ComponentChildren }) {
  return (
    <p class="form-error" id={id} role="alert" data-testid={testId}>
      <span aria-hidden="true">✗ </span>{children}
    </p>
  );
}
