import { Box, Text } from 'ink';
import { gatewayCommand, serviceName } from '../src/core/wizard/summary';
import { Choice } from './Choice';
import { type WizardState } from '../src/core/wizard/model';

export function ServiceStep({ state }: { state: WizardState }) {
  const { service, facts } = state;
  if (service === null) return <Text>Checking for a service manager (systemd or launchd)…</Text>;
  if (!service.usable) {
    return (
      <Box flexDirection="column">
        <Text>No service will be installed: {service.reason}</Text>
        <Box marginTop={1} flexDirection="column">
          <Text>Run the gateway by hand when you need it:</Text>
          <Text color="cyan">    {gatewayCommand(facts)}</Text>
        </Box>
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>Install the gateway as a service now?</Text>
      <Box marginTop={1}>
        <Choice
          cursor={state.cursor}
          options={[
            { label: 'yes', detail: `${serviceName(facts, service.kind)}, started now and at login` },
            { label: 'no', detail: `run it by hand: ${gatewayCommand(facts)}` },
          ]}
        />
      </Box>
    </Box>
  );
}
