import { Box, Text } from 'ink';
import { BROWSER_PROFILE, shapeOf } from '../src/core/wizard/answers';
import { Choice } from './Choice';
import { Field } from './Field';
import { type WizardState } from '../src/core/wizard/model';

export function BrowserStep({ state }: { state: WizardState }) {
  const fp = shapeOf(state.facts, state.answers.base);
  return (
    <Box flexDirection="column">
      <Text>Which Chrome does this gateway drive?</Text>
      <Box marginTop={1}>
        <Choice
          cursor={state.cursor}
          options={[
            { label: 'local', detail: `browser profile "${BROWSER_PROFILE}" on CDP port ${fp.cdp.from} (from ${fp.cdp.from}–${fp.cdp.to})` },
            { label: 'remote', detail: 'a Chrome you run yourself, reached at a CDP URL' },
          ]}
        />
      </Box>
      {state.browserEditing && (
        <Box marginTop={1} flexDirection="column">
          <Field label="  CDP URL" text={state.field.text} width={state.view.columns} />
          {state.field.error ? <Text color="red">✖ {state.field.error}</Text> : <Text dimColor>  e.g. http://127.0.0.1:9222; no other profile may use the same one</Text>}
        </Box>
      )}
    </Box>
  );
}
