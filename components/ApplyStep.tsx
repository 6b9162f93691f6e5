import { Box, Text } from 'ink';
import { tildify } from '../src/core/profile/paths';
import { type WizardState } from '../src/core/wizard/model';

export function ApplyStep({ state }: { state: WizardState }) {
  const { facts, apply, answers } = state;
  if (apply.error !== null) {
    return (
      <Box flexDirection="column">
        <Text color="red">✖ Apply stopped:</Text>
        <Text>{apply.error}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>Writing {tildify(facts.paths.configPath, facts.home)} (checking the ports once more first)…</Text>
      {answers.installService && <Text>Then installing and starting the service…</Text>}
    </Box>
  );
}
