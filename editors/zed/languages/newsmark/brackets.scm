("[" @open
  "]" @close)

("{" @open
  "}" @close)
