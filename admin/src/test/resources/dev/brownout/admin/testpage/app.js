document.title = "live";
