import type { AppHealth } from '../../shared/contract';
import { useI18n } from '../i18n/i18n';
import { knownKey } from '../i18n/messages';

export function HealthPanel({ health }: { health: AppHealth | null }) {
  const { t } = useI18n();
  return (
    <section className="panel health" aria-labelledby="health-title" data-testid="health">
      <h2 id="health-title">
        {t('health.title')}
        {health && (
          <span className={`badge status-${health.status}`} data-testid="health-status">
            {t(`health.${health.status}`)}
          </span>
        )}
      </h2>
      {!health && <p>{t('health.checking')}</p>}
      {health && (
        <ul>
          {health.checks.map((c) => (
            <li key={c.id} className={`status-${c.status}`} data-check={c.id}>
              <span className="check-name">{t(`health.${c.id}`)}</span>
              <span className="check-reason">{t(knownKey(`reason.${c.reason}`, 'reason.unknown'))}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
