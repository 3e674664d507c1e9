import { memo, type RefObject } from 'react';
import { useI18n } from '../../i18n/i18n';
import { DEFAULT_ROI } from '../../scan/camera/roi';
import type { CameraExtras, CameraState } from '../../scan/camera/useCameraScanner';

const pct = (f: number) => `${(f * 100).toFixed(2)}%`;

/**
 * The webcam preview while camera scanning is on, or why it could not start. The box on the
 * preview is where decoding looks first; the preview keeps the frame's shape so the box covers
 * the same part of the picture the decoder does.
 */
export const CameraPanel = memo(function CameraPanel({
  state,
  extras,
  videoRef,
  onTorch,
}: {
  state: CameraState;
  extras: CameraExtras;
  videoRef: RefObject<HTMLVideoElement | null>;
  onTorch: () => void;
}) {
  const { t } = useI18n();
  const showing = state.status === 'starting' || state.status === 'on';
  return (
    <section className="panel camera" data-testid="camera-panel" data-state={state.status} hidden={state.status === 'off'}>
      <h2>
        {t('camera.title')} <kbd>F4</kbd>
      </h2>
      {/* Always mounted, so the stream has somewhere to go the moment it opens. */}
      <div className="camera-view" hidden={!showing} style={extras.aspect ? { aspectRatio: String(extras.aspect) } : undefined}>
        <video ref={videoRef} className="camera-video" data-testid="camera-video" muted playsInline />
        {state.status === 'on' && (
          <div
            className="camera-roi"
            data-testid="camera-roi"
            aria-hidden="true"
            style={{ left: pct(DEFAULT_ROI.x), top: pct(DEFAULT_ROI.y), width: pct(DEFAULT_ROI.width), height: pct(DEFAULT_ROI.height) }}
          />
        )}
      </div>
      {state.status === 'starting' && <p className="muted">{t('camera.starting')}</p>}
      {state.status === 'on' && <p className="muted">{t('camera.on')}</p>}
      {state.status === 'on' && extras.torch !== 'none' && (
        <button type="button" className="camera-toggle" data-testid="camera-torch" aria-pressed={extras.torch === 'on'} onClick={onTorch}>
          {extras.torch === 'on' ? t('camera.torch.off') : t('camera.torch.on')} <kbd>F7</kbd>
        </button>
      )}
      {state.status === 'failed' && (
        <p className="camera-problem" role="alert" data-testid="camera-problem">
          {t(`camera.problem.${state.problem}`)}
        </p>
      )}
    </section>
  );
});
