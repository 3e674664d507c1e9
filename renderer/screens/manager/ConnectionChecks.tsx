import type { ConnectionTest } from '../../../shared/contract';
import { useI18n } from '../../i18n/i18n';

/** The connection test, one line per check; a failed one says its cause and what to do. */
export function ConnectionChecks({ test }: { test: ConnectionTest }) {
  const { t } = useI18n();
  return (
    <ul className="connection-checks">
      {test.checks.map((c) => (
        <li key={c.id} data-testid="go-live-check" data-check={c.id} data-status={c.status}>
          <span className="check-name">{t(`golive.check.${c.id}`)}</span> <span className={`check-${c.status}`}>{t(`golive.status.${c.status}`)}</span>
          {c.failure && (
            <span className="check-failure" data-testid="go-live-failure" data-failure={c.failure}>
              {' '}
              {t(`golive.failure.${c.failure}`)}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
