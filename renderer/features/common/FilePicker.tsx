import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Space } from 'antd';
import { FolderOpenOutlined, UploadOutlined } from '@ant-design/icons';

/**
 * A file (or folder) chooser in the app's language and theme. The browser's own `<input
 * type="file">` reads "Choose File / No file chosen" in the system's language and draws a light
 * native button in the dark theme. The input stays in the page, hidden, under `testId`; the
 * button and the chosen file's name under `${testId}-picker`.
 */
export function FilePicker(props: {
  accept?: string;
  multiple?: boolean;
  /** Choose a whole folder (its files, as one list). */
  folder?: boolean;
  disabled?: boolean;
  /** The button's text; default "Choose file…". */
  label?: string;
  icon?: ReactNode;
  testId?: string;
  /** Name what was chosen beside the button (default); off where the page reports it itself. */
  showChosen?: boolean;
  onFiles(files: File[]): void;
}) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<File[]>([]);
  const label = props.label ?? t(props.folder ? 'common.chooseFolder' : 'common.chooseFile');
  return (
    <Space size={8} data-testid={props.testId && `${props.testId}-picker`}>
      <input
        ref={input}
        type="file"
        hidden
        accept={props.accept}
        multiple={props.multiple || props.folder}
        disabled={props.disabled}
        {...(props.folder ? ({ webkitdirectory: '' } as object) : {})}
        data-testid={props.testId}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Cleared, so choosing the same file again (fixed and saved under the same name) is seen.
          e.target.value = '';
          if (!files.length) return;
          setChosen(files);
          props.onFiles(files);
        }}
      />
      <Button
        icon={props.icon ?? (props.folder ? <FolderOpenOutlined /> : <UploadOutlined />)}
        disabled={props.disabled}
        onClick={() => input.current?.click()}
      >
        {label}
      </Button>
      {props.showChosen !== false && (
        <span style={{ opacity: 0.65 }}>
          {chosen.length === 0
            ? t('common.noFile')
            : chosen.length === 1
              ? chosen[0]!.name
              : t('common.filesChosen', { count: chosen.length })}
        </span>
      )}
    </Space>
  );
}
