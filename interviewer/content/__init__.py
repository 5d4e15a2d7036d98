"""What is asked: the question bank, personas, project notes, timed drills, and the text helpers they share."""
