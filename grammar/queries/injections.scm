; Comments may hold TODO/NOTE markers that the `comment` parser highlights.
((comment) @injection.content
  (#set! injection.language "comment"))
