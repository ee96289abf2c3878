import { type Button, type Form, type Message, message } from "../../core/message.ts";
import type { Feeling } from "../../domain/checkin/index.ts";

/**
 * Every check-in message a resident sees. Short, warm, one question at a time, the action in a
 * button, and always saying who will see the answer before it is given.
 */

export const WHO_SEES = "Only you and the house counsellors see your answers; your buddy never does.";

export const FEELING_LABELS: Record<Feeling, string> = {
  steady: "Sober and steady",
  struggling: "Struggling",
  used: "I used today",
  help: "I need help now",
};

export function feelingButtons(checkinId: string): Button[][] {
  return [
    [
      { actionId: `ci:f:${checkinId}:steady`, label: FEELING_LABELS.steady, style: "success" },
      { actionId: `ci:f:${checkinId}:struggling`, label: FEELING_LABELS.struggling },
      { actionId: `ci:f:${checkinId}:used`, label: FEELING_LABELS.used },
    ],
    [{ actionId: `ci:f:${checkinId}:help`, label: FEELING_LABELS.help, style: "danger" }],
  ];
}

export function promptMessage(checkinId: string, name: string): Message {
  return message(`Hi ${name}, how is today?\n${WHO_SEES} You can also just reply in words, like "sober, craving 2, mood 4".`, {
    title: "Daily check-in",
    buttons: feelingButtons(checkinId),
  });
}

export function reminderMessage(checkinId: string): Message {
  return message("A gentle reminder: today's check-in is still open. It takes about 20 seconds.", {
    buttons: feelingButtons(checkinId),
  });
}

export function cravingQuestion(checkinId: string, preface = ""): Message {
  const button = (n: number): Button => ({ actionId: `ci:c:${checkinId}:${n}`, label: String(n) });
  return message(`${preface}How strong is any craving right now, from 0 (none) to 10 (overwhelming)?`, {
    buttons: [[0, 1, 2, 3, 4].map(button), [5, 6, 7, 8, 9].map(button), [10].map(button)],
  });
}

export function moodQuestion(checkinId: string): Message {
  const labels = ["1 · very low", "2 · low", "3 · okay", "4 · good", "5 · great"];
  return message("And your mood today, from 1 to 5?", {
    buttons: [labels.map((label, i) => ({ actionId: `ci:m:${checkinId}:${i + 1}`, label }))],
  });
}

export function meetingQuestion(checkinId: string): Message {
  return message("Did you get to a meeting today?", {
    buttons: [
      [
        { actionId: `ci:g:${checkinId}:yes`, label: "Yes" },
        { actionId: `ci:g:${checkinId}:no`, label: "Not today" },
      ],
    ],
  });
}

export function noteQuestion(checkinId: string): Message {
  return message("Anything you'd like to add? It's optional, and only your counsellors read it.", {
    buttons: [
      [
        { actionId: `ci:n:${checkinId}`, label: "Add a note" },
        { actionId: `ci:d:${checkinId}`, label: "That's all", style: "primary" },
      ],
    ],
  });
}

export function noteForm(checkinId: string): Form {
  return {
    formId: `cinote:${checkinId}`,
    title: "Add a note",
    fields: [
      {
        id: "note",
        label: "Your note (counsellors only)",
        style: "paragraph",
        required: true,
        maxLength: 1000,
        placeholder: "How the day went, what helped, what didn't",
      },
    ],
    submitLabel: "Save",
  };
}

export function lapseResponse(): string {
  return "Thank you for telling the truth; that takes courage. A lapse is information, not a verdict. Your counsellor will be told so they can support you, and your streak history is kept. Tomorrow is a fresh start.";
}

export function strugglingResponse(): string {
  return "Thanks for being honest. Hard days pass. If you want to talk, your counsellors are there for you, and /sos is here day or night.";
}

export function closedMessage(): Message {
  return message("That day's check-in has closed, so I can't change it now. Today's is the one that counts.", { ephemeral: true });
}
