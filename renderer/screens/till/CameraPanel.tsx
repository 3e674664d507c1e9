import type { RefObject } from 'react';
import { useI18n } from '../../i18n/i18n';
import type { CameraState } from '../../scan/camera/useCameraScanner';

/** The webcam preview while camera scanning is on, or why it could not start. */
export function CameraPanel({ state, videoRef }: { state: CameraState; videoRef: RefObject<HTMLVideoElement | null> }) {
  const { t } = useI18n();
  const showing = state.status === 'starting' || state.status === 'on';
  return (
    <section className="panel camera" data-testid="camera-panel" data-state={state.status} hidden={state.status === 'off'}>
      <h2>
        {t('camera.title')} <kbd>F4</kbd>
      </h2>
      {/* Always mounted, so the stream has somewhere to go the moment it opens. */}
      <video ref={videoRef} className="camera-video" muted playsInline hidden={!showing} />
      {state.status === 'starting' && <p className="muted">{t('camera.starting')}</p>}
      {state.status === 'on' && <p className="muted">{t('camera.on')}</p>}
      {state.status === 'failed' && (
        <p className="camera-problem" role="alert" data-testid="camera-problem">
          {t(`camera.problem.${state.problem}`)}
        </p>
      )}
    </section>
  );
}
