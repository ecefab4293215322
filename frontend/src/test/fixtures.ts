import type { User } from "@/lib/api";

export const reader: User = {
  id: "7d1c7c52-7d33-4a39-9d54-4f0bde0f0a01",
  email: "reader@example.com",
  display_name: "reader",
  locale: "en",
  role: "user",
  disabled: false,
  preferences: {
    theme: "light",
    font_family: "serif",
    font_size: 18,
    line_height: 1.5,
    text_align: "justify",
    margin: 2,
    layout: "paginated",
    show_illustrations: true,
    show_marks: true,
  },
  created_at: "2026-12-05T08:00:00Z",
  updated_at: "2026-12-05T08:00:00Z",
};
