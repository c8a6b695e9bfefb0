import { AudioMutedOutlined, SoundOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { SoundState } from '../../media/session/sound';

/**
 * Whether a recording's sound is heard at this speed: at 1× only. Chromium keeps the pitch when it
 * plays faster, but speech stretched to 2× is hard to follow and at 4× or 8× it is noise, and a
 * device sending its recording at a scale (Tencent E37) may drop or chop its sound; control-room
 * clients (Nx Witness, Milestone) play sound at normal speed only. Slow motion is for looking at
 * pictures, so it is quiet too. The speaker says so while the pane is listened to.
 */
export function soundAtSpeed(speed: number): boolean {
  return speed === 1;
}

/**
 * A playback pane's speaker: click to listen to this pane (the page keeps one pane audible), again
 * to stop. It shows a struck speaker, and why, where the sound is not heard: the pane not listened
 * to, a speed other than 1×, no sound in the recording, or a codec Vigil cannot play.
 */
export function PaneSpeaker({
  audible,
  sound,
  speed,
  onToggle,
}: {
  audible: boolean;
  sound: SoundState;
  speed: number;
  onToggle(): void;
}) {
  const { t } = useTranslation();
  const heard = audible && soundAtSpeed(speed) && sound.kind !== 'none' && sound.kind !== 'unplayable';
  const why =
    sound.kind === 'unplayable'
      ? t('media.soundUnplayable', { codec: sound.codec })
      : !audible
        ? t('playback.soundOn')
        : sound.kind === 'none'
          ? t('media.soundNone')
          : !soundAtSpeed(speed)
            ? t('playback.soundAtSpeed', { speed })
            : t('playback.soundOff');
  return (
    <button
      type="button"
      data-testid="playback-sound"
      data-audible={audible ? '' : undefined}
      data-sound={sound.kind}
      aria-pressed={audible}
      aria-label={why}
      title={why}
      style={{ ...speakerStyle, color: heard ? '#fff' : '#8c8c8c' }}
      onClick={onToggle}
    >
      {heard ? <SoundOutlined /> : <AudioMutedOutlined />}
    </button>
  );
}

const speakerStyle: React.CSSProperties = {
  position: 'absolute',
  right: 6,
  bottom: 4,
  background: 'rgba(0,0,0,0.55)',
  border: 'none',
  borderRadius: 3,
  fontSize: 13,
  lineHeight: '18px',
  padding: '0 5px',
  cursor: 'pointer',
};
